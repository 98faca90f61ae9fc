/**
 * The SSRF guard of the document fetch (draft-ietf-oauth-client-id-metadata-document-02 §8.6):
 * resolve the host once, refuse when any of its addresses is special-use, and hand back the
 * checked address for the connection. Connecting to that address (not the name again) closes the
 * gap in which a second DNS answer could rebind the name to a loopback or private address.
 */
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import { isLoopbackAddress, isSpecialUseAddress } from './special-addresses.ts'

export interface CheckedAddress {
  address: string
  family: 4 | 6
}

export type GuardResult = { ok: true; target: CheckedAddress } | { ok: false; reason: string }

/** The host of a URL without IPv6 brackets. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1')
}

async function addressesOf(host: string): Promise<CheckedAddress[]> {
  const family = isIP(host)
  if (family === 4 || family === 6) return [{ address: host, family }]
  const answers = await lookup(host, { all: true, verbatim: true })
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }))
}

/**
 * The address to connect to for `url`. `trusted` (an origin of `cimd.trusted_origins`) lets a
 * loopback address through, and only that: §8.6 relaxes the rule for loopback in development,
 * never for private or link-local space. `guardOff` (the `cimd-loopback-fetched` fault) skips the
 * special-use check; neither skips the resolution.
 */
export async function checkedAddress(
  url: URL,
  options: { trusted: boolean; guardOff: boolean },
): Promise<GuardResult> {
  const host = bareHost(url)
  let addresses: CheckedAddress[]
  try {
    addresses = await addressesOf(host)
  } catch {
    return { ok: false, reason: `the host ${host} does not resolve` }
  }
  if (addresses.length === 0) return { ok: false, reason: `the host ${host} does not resolve` }
  if (!options.guardOff) {
    // Every address, not only the first: a name may mix a public and a private answer.
    const blocked = addresses.find(
      (a) => isSpecialUseAddress(a.address) && !(options.trusted && isLoopbackAddress(a.address)),
    )
    if (blocked) {
      const reason = `the host resolves to a special-use address (${blocked.address}); not fetched`
      return { ok: false, reason }
    }
  }
  return { ok: true, target: addresses[0]! }
}
