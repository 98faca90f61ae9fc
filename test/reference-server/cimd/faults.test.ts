/**
 * Each Client ID Metadata Document fault breaks its rule and only that: the probe of probes.ts
 * against a clean server and a faulted one, with the exact observation expected of each.
 */
import { describe, expect, it } from 'vitest'
import { faultCatalogue } from '../../../reference-server/faults.ts'
import { start } from '../helpers.ts'
import { cimdProbes } from './probes.ts'

const expected: Record<string, { clean: unknown; faulted: unknown }> = {
  'cimd-not-advertised': { clean: true, faulted: null },
  'cimd-client-id-mismatch-accepted': { clean: 'page-400-invalid_client', faulted: 'code' },
  'cimd-code-not-redeemed': { clean: [200, null], faulted: [401, 'invalid_client'] },
  'cimd-redirect-uri-unchecked': { clean: 'page-400-invalid_request', faulted: 'code' },
  'cimd-loopback-fetched': { clean: ['page-400-invalid_client', 0], faulted: ['code', 1] },
  'cimd-symmetric-auth-accepted': { clean: 'page-400-invalid_client', faulted: 'code' },
  'cimd-fetch-failure-ignored': { clean: 'page-400-invalid_client', faulted: 'code' },
  'cimd-oversize-accepted': { clean: 'page-400-invalid_client', faulted: 'code' },
  'cimd-cache-ignores-headers': {
    clean: ['code', 'page-400-invalid_request'],
    faulted: ['code', 'code'],
  },
}

describe('the CIMD faults', () => {
  it('are all in the catalogue, each with a probe and MCP-CIMD requirement IDs', () => {
    const names = faultCatalogue.filter((f) => f.name.startsWith('cimd-'))
    expect(names.map((f) => f.name).sort()).toEqual(Object.keys(expected).sort())
    expect(Object.keys(cimdProbes).sort()).toEqual(Object.keys(expected).sort())
    for (const f of names) for (const id of f.requirements) expect(id).toMatch(/^MCP-CIMD-[a-i]$/)
  })

  for (const [name, want] of Object.entries(expected)) {
    it(name, async () => {
      const probe = cimdProbes[name]!
      const clean = await start({ config: probe.config })
      const faulted = await start({ config: probe.config, faults: [name] })
      try {
        expect(await probe.run(clean)).toEqual(want.clean)
        expect(await probe.run(faulted)).toEqual(want.faulted)
      } finally {
        await clean.close()
        await faulted.close()
      }
    })
  }
})
