/**
 * Acceptance 4: the catalogue has at least 30 faults (including the required names), every fault
 * has requirement IDs, and each fault changes the server's observable behaviour: one probe per
 * fault, run against a clean server and the faulted one.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { faultCatalogue, FaultSet } from '../../reference-server/faults.ts'
import { start } from './helpers.ts'
import { probes } from './fault-probes.ts'

const required = [
  'iat-reusable',
  'iat-race',
  'iat-scope-ignored',
  'registration-200',
  'no-secret-expiry',
  'fragment-redirect-accepted',
  'code-reusable',
  'pkce-ignored',
  'id-token-aud-wrong',
  'rat-not-required',
  'crash-on-bad-json',
]

describe('fault catalogue', () => {
  it('has at least 30 faults with unique kebab-case names, descriptions and requirement IDs', () => {
    expect(faultCatalogue.length).toBeGreaterThanOrEqual(30)
    const names = faultCatalogue.map((f) => f.name)
    expect(new Set(names).size).toBe(names.length)
    for (const f of faultCatalogue) {
      expect(f.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
      expect(f.description.length).toBeGreaterThan(10)
      expect(f.requirements.length).toBeGreaterThan(0)
      for (const id of f.requirements)
        expect(id).toMatch(/^(R\d{4}|OIDC[RDC]|CUR|MCP)-[A-Za-z0-9.]+(-[a-z])?$|^CUR-[A-Z]+-\d$/)
    }
    for (const name of required) expect(names).toContain(name)
  })

  it('refuses unknown fault names', async () => {
    expect(() => new FaultSet(['no-such-fault'])).toThrow(/unknown fault/)
    await expect(start({ faults: ['no-such-fault'] })).rejects.toThrow(/unknown fault/)
  })

  it('has a probe for every fault and no probe without a fault', () => {
    expect(Object.keys(probes).sort()).toEqual(faultCatalogue.map((f) => f.name).sort())
  })
})

describe('each fault changes observable behaviour', () => {
  for (const fault of faultCatalogue) {
    it(fault.name, async () => {
      const probe = probes[fault.name]
      expect(probe, `probe for ${fault.name}`).toBeDefined()
      const read = (name: string) =>
        readFileSync(new URL(`../../fixtures/tls/${name}`, import.meta.url), 'utf8')
      const options = {
        ...(probe!.config ? { config: probe!.config } : {}),
        ...(probe!.tls ? { tls: { cert: read('server.pem'), key: read('server-key.pem') } } : {}),
      }
      const clean = await start(options)
      const faulted = await start({ ...options, faults: [fault.name] })
      try {
        const expected = await probe!.run(clean)
        const actual = await probe!.run(faulted)
        expect(actual, `${fault.name}: clean observed ${JSON.stringify(expected)}`).not.toEqual(
          expected,
        )
      } finally {
        await clean.close()
        await faulted.close()
      }
    })
  }
})
