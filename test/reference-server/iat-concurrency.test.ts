/**
 * Acceptance 2: one IAT, 50 concurrent registrations. Exactly one succeeds on the clean server;
 * under `iat-race` (check, yield, consume) more than one does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent } from 'undici'
import type { ReferenceServer } from '../../reference-server/index.ts'
import { ep, fetch, iat, start } from './helpers.ts'

const metadata = JSON.stringify({ redirect_uris: ['https://localhost/callback'], scope: 'openid' })

/** 50 requests on 50 connections, all sent before any answer is awaited. */
async function burst(s: ReferenceServer, token: string, dispatcher: Agent): Promise<number[]> {
  const requests = Array.from({ length: 50 }, () =>
    fetch(ep(s).register, {
      method: 'POST',
      dispatcher,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: metadata,
    }).then(async (r) => {
      await r.arrayBuffer()
      return r.status
    }),
  )
  return Promise.all(requests)
}

describe('IAT single use under concurrency', () => {
  let clean: ReferenceServer
  let racy: ReferenceServer
  const dispatcher = new Agent({ connections: 50, pipelining: 0 })
  beforeAll(async () => {
    clean = await start()
    racy = await start({ faults: ['iat-race'] })
  })
  afterAll(async () => {
    await clean.close()
    await racy.close()
    await dispatcher.close()
  })

  for (let round = 1; round <= 5; round++) {
    it(`clean server: exactly one 201 out of 50 (round ${round})`, async () => {
      const statuses = await burst(clean, await iat(clean), dispatcher)
      expect(statuses.filter((st) => st === 201)).toHaveLength(1)
      expect(statuses.filter((st) => st === 401)).toHaveLength(49)
    })
  }

  it('iat-race: more than one registration succeeds with one IAT', async () => {
    const statuses = await burst(racy, await iat(racy), dispatcher)
    expect(statuses.filter((st) => st === 201).length).toBeGreaterThan(1)
  })
})
