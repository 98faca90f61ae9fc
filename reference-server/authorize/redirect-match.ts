/**
 * Redirect URI matching at the authorization endpoint: exact string comparison, except that a
 * loopback IP redirect URI matches any port (RFC 8252 §7.3).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2.3
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.1.3
 */
import type { FaultSet } from '../faults.ts'
import { isLoopbackHost, isLoopbackIp } from '../registration/redirect-uris.ts'

/** `http://127.0.0.1:PORT/rest` as `http://127.0.0.1/rest` (the rest compared unchanged). */
function withoutPort(uri: string): string | undefined {
  try {
    const url = new URL(uri)
    if (url.protocol !== 'http:' || !isLoopbackIp(url.hostname) || !uri.startsWith('http://'))
      return undefined
    const slash = uri.indexOf('/', 'http://'.length)
    return `http://${url.hostname}${slash < 0 ? '' : uri.slice(slash)}`
  } catch {
    return undefined
  }
}

/** Fault `loopback-any-host`: a loopback registration matched on the path alone. */
function samePathAsLoopback(registered: string, requested: string): boolean {
  if (!URL.canParse(registered) || !URL.canParse(requested)) return false
  const url = new URL(registered)
  return isLoopbackHost(url.hostname) && url.pathname === new URL(requested).pathname
}

export function redirectUriMatches(
  faults: FaultSet,
  registered: string,
  requested: string,
): boolean {
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
  if (faults.has('loopback-port-strict')) return false
  const a = withoutPort(registered)
  return a !== undefined && a === withoutPort(requested)
}
