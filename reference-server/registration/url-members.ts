/**
 * URL-valued metadata: pages shown to users (client_uri, logo_uri, policy_uri, tos_uri and their
 * language-tagged forms) must be https (http only on loopback), never active content; jwks_uri,
 * sector_identifier_uri, initiate_login_uri and request_uris must be https.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-5
 * @see https://openid.net/specs/openid-connect-registration-1_0.html#ClientMetadata
 */
import type { ServerContext } from '../context.ts'
import { invalidMetadata } from './metadata-error.ts'
import { splitTagged } from './members.ts'
import { isLoopbackHost } from './redirect-uris.ts'

/** Checks a URL-valued member: absolute, allowed scheme. */
export function checkUrl(
  ctx: ServerContext,
  name: string,
  value: string,
  kind: 'page' | 'https',
): URL {
  if (/[\u0000-\u0020\u007f]/.test(value))
    throw invalidMetadata(name, 'must not contain spaces or control characters')
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw invalidMetadata(name, 'must be an absolute URL')
  }
  if (kind === 'https') {
    if (url.protocol !== 'https:' && !ctx.faults.has('https-metadata-unchecked'))
      throw invalidMetadata(name, 'must be an https URL')
    return url
  }
  if (url.protocol === 'https:') return url
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url
  if (ctx.faults.has('client-uri-javascript-accepted')) return url
  throw invalidMetadata(name, `must be an https URL (scheme ${url.protocol} is not allowed)`)
}

/** Checks every URL-valued member; `redirectHosts` are the hosts of the redirect URIs. */
export function checkUrlMembers(
  ctx: ServerContext,
  input: Record<string, unknown>,
  redirectHosts: Set<string>,
): void {
  const f = ctx.faults
  const policy = ctx.config.registration
  const str = (name: string) => input[name] as string | undefined
  const list = (name: string) => input[name] as string[] | undefined
  for (const [name, value] of Object.entries(input)) {
    const base = splitTagged(name)?.base ?? name
    if (!['client_uri', 'logo_uri', 'policy_uri', 'tos_uri'].includes(base)) continue
    const url = checkUrl(ctx, name, value as string, 'page')
    if (
      policy.sameHostMembers.includes(base) &&
      redirectHosts.size > 0 &&
      !redirectHosts.has(url.hostname)
    ) {
      if (!f.has('client-uri-host-unchecked'))
        throw invalidMetadata(name, 'must be on the same host as a redirect URI')
    }
  }
  for (const name of ['jwks_uri', 'sector_identifier_uri', 'initiate_login_uri']) {
    const value = str(name)
    if (value !== undefined) checkUrl(ctx, name, value, 'https')
  }
  for (const uri of list('request_uris') ?? []) checkUrl(ctx, 'request_uris', uri, 'https')
  for (const uri of list('post_logout_redirect_uris') ?? []) {
    try {
      new URL(uri)
    } catch {
      throw invalidMetadata(
        'post_logout_redirect_uris',
        `${JSON.stringify(uri)} is not an absolute URI`,
      )
    }
  }
}
