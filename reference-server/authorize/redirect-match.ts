/**
 * Redirect URI matching at the authorization endpoint: exact string comparison, except that a
 * loopback IP redirect URI matches any port (RFC 8252 §7.3).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2.3
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.1.3
 */
import type { FaultSet } from '../faults.ts'
import {
  isLoopbackHost,
  isLoopbackIp,
  LOOPBACK_IP_LITERALS,
} from '../registration/redirect-uris.ts'

/** `http://` and a loopback IP literal as written, with an optional port of digits. */
const loopbackAuthority = new RegExp(
  `^http://(${LOOPBACK_IP_LITERALS.map((ip) => ip.replace(/[.[\]]/g, '\\$&')).join('|')})` +
    '(?::\\d+)?(?=[/?#]|$)',
)

/**
 * `http://127.0.0.1:PORT/rest` as `http://127.0.0.1/rest`, read off the string itself: only a
 * loopback IP literal written as such, with an optional port of digits, qualifies (so `127.1` or
 * `user@127.0.0.1` do not), and the rest is compared unchanged.
 */
function withoutPort(uri: string): string | undefined {
  const match = loopbackAuthority.exec(uri)
  return match === null ? undefined : `http://${match[1]}${uri.slice(match[0].length)}`
}

/** Fault `loopback-any-host`: a loopback registration matched on the path alone. */
function samePathAsLoopback(registered: string, requested: string): boolean {
  if (!URL.canParse(registered) || !URL.canParse(requested)) return false
  const url = new URL(registered)
  return isLoopbackHost(url.hostname) && url.pathname === new URL(requested).pathname
}

/**
 * Faults `loopback-url-normalised` (both URIs compared in the URL standard's form without the
 * port, so other spellings of the address, userinfo and dot segments match) and
 * `loopback-any-path` (any path and query on the registered loopback host and scheme).
 */
function looseLoopbackMatch(faults: FaultSet, registered: string, requested: string): boolean {
  if (!URL.canParse(registered) || !URL.canParse(requested)) return false
  const [a, b] = [new URL(registered), new URL(requested)]
  if (a.protocol !== 'http:' || !isLoopbackIp(a.hostname)) return false
  const sameHost = a.protocol === b.protocol && a.hostname === b.hostname
  if (faults.has('loopback-any-path') && sameHost) return true
  const samePath = a.pathname + a.search === b.pathname + b.search
  return faults.has('loopback-url-normalised') && sameHost && samePath
}

export function redirectUriMatches(
  faults: FaultSet,
  registered: string,
  requestedUri: string,
): boolean {
  // The fault drops the request's query before comparing: a registered query never matches.
  const requested = faults.has('redirect-query-unmatched')
    ? requestedUri.replace(/[?#].*$/, '')
    : requestedUri
  if (registered === requested) return true
  if (faults.has('redirect-prefix-match') && requested.startsWith(registered)) return true
  if (faults.has('redirect-wildcard-accepted') && registered.includes('*')) {
    const pattern = registered
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[^/]*')
    if (new RegExp(`^${pattern}$`).test(requested)) return true
  }
  if (faults.has('loopback-any-host') && samePathAsLoopback(registered, requested)) return true
  if (looseLoopbackMatch(faults, registered, requested)) return true
  if (faults.has('loopback-port-strict')) return false
  const a = withoutPort(registered)
  return a !== undefined && a === withoutPort(requested)
}
