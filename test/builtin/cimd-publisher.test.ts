import { describe, expect, it } from 'vitest'
import { trustingPublisher } from '../../builtin/cimd-publisher.ts'
import { startReferenceTarget } from '../../builtin/reference-target.ts'
import { runningPublisher } from '../../harness/cimd/registry.ts'

describe("the built-in target's publisher trust", () => {
  it("adds the publisher's origin and the test CA to the reference server's cimd config", () => {
    expect(trustingPublisher(undefined, 'https://127.0.0.1:1', 'PEM')).toEqual({
      cimd: { trusted_origins: ['https://127.0.0.1:1'], ca: 'PEM' },
    })
  })

  it('keeps the policy around it and origins it already trusts', () => {
    const policy = {
      registration: { authentication: 'none' },
      cimd: { trusted_origins: ['https://127.0.0.1:2'], max_bytes: 9 },
    }
    expect(trustingPublisher(policy, 'https://127.0.0.1:1', 'PEM')).toEqual({
      registration: { authentication: 'none' },
      cimd: {
        trusted_origins: ['https://127.0.0.1:2', 'https://127.0.0.1:1'],
        max_bytes: 9,
        ca: 'PEM',
      },
    })
  })
})

describe('the built-in target', () => {
  it('runs its publisher beside the reference server, declared in its cimd block, until it closes', async () => {
    const reference = await startReferenceTarget()
    const base = reference.target.cimd?.public_base_url
    try {
      expect(base).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      expect(runningPublisher(base)?.baseUrl).toBe(base)
      expect(reference.target.capabilities).toContain('client_id_metadata_documents')
    } finally {
      await reference.close()
    }
    expect(runningPublisher(base)).toBeUndefined()
  })
})
