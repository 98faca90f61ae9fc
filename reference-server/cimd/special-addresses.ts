/**
 * Special-use IP addresses (RFC 6890 and its registries): a Client ID Metadata Document URL that
 * resolves to one is never fetched (draft-ietf-oauth-client-id-metadata-document-02 §8.6). The
 * list errs on the side of refusing: translation and tunnel prefixes that can reach private
 * IPv4 space count as special too. IPv4-mapped IPv6 addresses (`::ffff:127.0.0.1`) are checked
 * against the IPv4 rules (node:net BlockList maps them).
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net'

const ipv4: Array<[string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared address space (CGN)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata services)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the limited broadcast address
]

const ipv6: Array<[string, number]> = [
  ['::', 96], // unspecified, loopback, and the deprecated IPv4-compatible form
  ['64:ff9b::', 96], // IPv4/IPv6 translation (reaches IPv4 space)
  ['64:ff9b:1::', 48], // local-use translation
  ['100::', 64], // discard-only
  ['2001::', 23], // IETF protocol assignments (Teredo, ORCHID, ...)
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 (embeds an IPv4 address)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local
  ['ff00::', 8], // multicast
]

const special = new BlockList()
for (const [network, prefix] of ipv4) special.addSubnet(network, prefix, 'ipv4')
for (const [network, prefix] of ipv6) special.addSubnet(network, prefix, 'ipv6')

/** Whether an IP address (v4 or v6, without brackets) is special-use; a non-address is too. */
export function isSpecialUseAddress(address: string): boolean {
  if (isIPv4(address)) return special.check(address, 'ipv4')
  if (!isIPv6(address)) return true
  return special.check(address, 'ipv6')
}

const loopback = new BlockList()
loopback.addSubnet('127.0.0.0', 8, 'ipv4')
loopback.addAddress('::1', 'ipv6')

/** Whether an IP address is loopback (127.0.0.0/8, ::1, or 127.x mapped into IPv6). */
export function isLoopbackAddress(address: string): boolean {
  if (isIPv4(address)) return loopback.check(address, 'ipv4')
  return isIPv6(address) && loopback.check(address, 'ipv6')
}
