/**
 * The Client Identifier URL (draft-ietf-oauth-client-id-metadata-document-02 §3): which client_id
 * values name a metadata document, and whether one is well formed. Registered client ids are
 * random strings, never `https://`, so the prefix alone decides (§7.1).
 */

/** Whether a client_id is meant as a Client Identifier URL (to be fetched). */
export function isClientIdUrl(clientId: string): boolean {
  return clientId.startsWith('https://')
}

/**
 * Why a Client Identifier URL is not acceptable, or undefined when it is (§3): https, no
 * userinfo, a path, no `.` or `..` segment, no fragment. The raw string is checked, since the
 * URL parser would add a missing path and remove dot segments.
 */
export function clientIdUrlProblem(clientId: string): string | undefined {
  if (!URL.canParse(clientId)) return 'the client_id is not a valid URL'
  const url = new URL(clientId)
  if (url.protocol !== 'https:') return 'the client_id URL must use https'
  const rest = clientId.slice('https://'.length)
  // The authority ends at the first `/`, `?` or `#` (RFC 3986 §3.2): `https://h?q/x` has no path.
  const end = rest.search(/[/?#]/)
  const authority = end < 0 ? rest : rest.slice(0, end)
  if (url.username !== '' || url.password !== '' || authority.includes('@'))
    return 'the client_id URL must not contain userinfo'
  if (clientId.includes('#')) return 'the client_id URL must not contain a fragment'
  if (end < 0 || rest[end] !== '/' || url.pathname === '')
    return 'the client_id URL must contain a path'
  const path = rest.slice(end).split('?')[0]!
  // `.` may also be percent-encoded (RFC 3986 §2.3 makes %2E equivalent).
  if (path.split('/').some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment)))
    return 'the client_id URL must not contain dot path segments'
  return undefined
}
