/**
 * The SSRF guard's answer per address (reference-server/cimd/address-guard.ts): a trusted origin
 * relaxes the rule for loopback only (draft-ietf-oauth-client-id-metadata-document-02 §8.6).
 * IP-literal hosts, so no DNS answer is involved.
 */
import { describe, expect, it } from 'vitest'
import { checkedAddress } from '../../../reference-server/cimd/address-guard.ts'

const guarded = { trusted: false, guardOff: false }
const trusted = { trusted: true, guardOff: false }

describe('the address guard', () => {
  it('refuses a loopback address of an origin that is not trusted', async () => {
    const result = await checkedAddress(new URL('https://127.0.0.1:8443/c'), guarded)
    expect(result).toMatchObject({ ok: false, reason: expect.stringMatching(/special-use/) })
  })

  it('lets a trusted origin on loopback through, IPv4 or IPv6', async () => {
    for (const url of ['https://127.0.0.1:8443/c', 'https://[::1]:8443/c']) {
      const result = await checkedAddress(new URL(url), trusted)
      expect(result, url).toMatchObject({ ok: true })
    }
  })

  it('refuses a trusted origin on a private, link-local or unspecified address', async () => {
    const urls = [
      'https://10.0.0.1/c',
      'https://169.254.169.254/c',
      'https://0.0.0.0/c',
      'https://[fd00::1]/c',
    ]
    for (const url of urls) {
      const result = await checkedAddress(new URL(url), trusted)
      expect(result, url).toMatchObject({ ok: false, reason: expect.stringMatching(/special-use/) })
    }
  })

  it('under the cimd-loopback-fetched fault lets any address through', async () => {
    const faulted = { trusted: false, guardOff: true }
    const result = await checkedAddress(new URL('https://10.0.0.1/c'), faulted)
    expect(result).toMatchObject({ ok: true, target: { address: '10.0.0.1', family: 4 } })
  })
})
