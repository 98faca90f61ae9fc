/**
 * Redirect URI rules at registration: absolute, no fragment, no active-content schemes; web
 * clients https (http only on loopback, by policy); native clients loopback http or a private-use
 * scheme; implicit web clients never on localhost.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7
 * @see https://openid.net/specs/openid-connect-registration-1_0.html#ClientMetadata
 */
import type { ServerContext } from '../context.ts'
import { invalidRedirect } from './metadata-error.ts'

const dangerousSchemes = new Set([
  'javascript:',
  'data:',
  'file:',
  'vbscript:',
  'blob:',
  'about:',
  'filesystem:',
])

/** Loopback hosts as `URL.hostname` spells them. */
export function isLoopbackHost(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === '[::1]' || hostname === 'localhost'
}

/** Loopback IP literals, as URLs write them, for which RFC 8252 §7.3 lets any port match. */
export const LOOPBACK_IP_LITERALS: readonly string[] = ['127.0.0.1', '[::1]']

export function isLoopbackIp(hostname: string): boolean {
  return LOOPBACK_IP_LITERALS.includes(hostname)
}

export interface RedirectPolicy {
  applicationType: string
  implicit: boolean
  /** How many redirect URIs the registration has (the `fragment-redirect-multi-accepted` fault). */
  count?: number
}

/** Throws `invalid_redirect_uri` naming the first problem with `uri`. */
export function checkRedirectUri(ctx: ServerContext, uri: string, policy: RedirectPolicy): void {
  const f = ctx.faults
  // The URL parser silently drops tabs and newlines; a stored URI must be exactly what matches.
  if (/[\u0000-\u0020\u007f]/.test(uri))
    throw invalidRedirect('redirect URIs must not contain spaces or control characters')
  let url: URL
  try {
    url = new URL(uri)
  } catch {
    if (uri.startsWith('/') && f.has('relative-redirect-accepted')) return
    throw invalidRedirect(`${JSON.stringify(uri)} is not an absolute URI`)
  }
  // The multi fault: a check that runs only on single-URI registrations.
  const fragmentUnchecked =
    f.has('fragment-redirect-accepted') ||
    (f.has('fragment-redirect-multi-accepted') && (policy.count ?? 1) >= 2)
  if (uri.includes('#') && !fragmentUnchecked) {
    throw invalidRedirect(`${JSON.stringify(uri)} must not contain a fragment`)
  }
  if (dangerousSchemes.has(url.protocol)) {
    if (f.has('redirect-javascript-accepted')) return
    throw invalidRedirect(`scheme ${url.protocol} is not allowed for redirect URIs`)
  }
  if (url.username || url.password)
    throw invalidRedirect(`${JSON.stringify(uri)} must not contain user information`)
  const literalWildcards = ctx.config.registration.wildcardRedirectUris === 'literal'
  if (
    (url.hostname.includes('*') || uri.includes('*')) &&
    !f.has('redirect-wildcard-accepted') &&
    !literalWildcards
  ) {
    throw invalidRedirect('wildcards are not allowed in redirect URIs')
  }

  const native = policy.applicationType === 'native'
  const loopback = isLoopbackHost(url.hostname)
  if (url.protocol === 'https:') {
    if (native && !f.has('native-redirect-unchecked')) {
      throw invalidRedirect(
        'native clients must use loopback http or private-use scheme redirect URIs',
      )
    }
    if (!native && policy.implicit && loopback) {
      throw invalidRedirect(
        'web clients using the implicit grant must not use localhost redirect URIs',
      )
    }
    return
  }
  if (url.protocol === 'http:') {
    if (loopback) {
      if (native && f.has('native-loopback-rejected'))
        throw invalidRedirect('loopback redirect URIs are not allowed')
      if (native) return
      if (policy.implicit)
        throw invalidRedirect('web clients using the implicit grant must use https redirect URIs')
      if (ctx.config.registration.allowHttpLoopbackForWeb) return
      throw invalidRedirect('web clients must use https redirect URIs')
    }
    if (native && f.has('native-redirect-unchecked')) return
    if (!native && f.has('redirect-http-accepted')) return
    throw invalidRedirect(`${JSON.stringify(uri)}: http is only allowed for loopback redirect URIs`)
  }
  // A private-use (custom) scheme: native apps only (RFC 8252 §7.1).
  if (native && f.has('private-scheme-rejected'))
    throw invalidRedirect(`scheme ${url.protocol} is not allowed`)
  if (native || f.has('native-redirect-unchecked')) return
  throw invalidRedirect(`scheme ${url.protocol} is only allowed for native clients`)
}

/** The `redirect-rewritten` fault: what a normalising server stores instead of the string sent. */
export function rewriteRedirectUri(uri: string): string {
  try {
    const url = new URL(uri)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return uri
    url.search = ''
    if (!url.pathname.endsWith('/')) url.pathname += '/'
    return url.href
  } catch {
    return uri
  }
}
