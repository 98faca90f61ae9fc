/**
 * Grant types and response types: known values, the allowed capabilities, the OIDC DCR §2
 * correspondence table, and Curity's refresh grant (added when refresh_token_ttl > 0, removed at 0).
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2.1
 * @see https://openid.net/specs/openid-connect-registration-1_0.html#ClientMetadata
 */
import type { ServerContext } from '../context.ts'
import { invalidMetadata } from './metadata-error.ts'

export const knownGrantTypes = new Set([
  'authorization_code',
  'implicit',
  'refresh_token',
  'client_credentials',
  'password',
  'urn:ietf:params:oauth:grant-type:device_code',
  'urn:ietf:params:oauth:grant-type:jwt-bearer',
  'urn:ietf:params:oauth:grant-type:token-exchange',
])

export const knownResponseTypes = [
  'code',
  'token',
  'id_token',
  'code id_token',
  'code token',
  'id_token token',
  'code id_token token',
  'none',
]

function words(responseType: string): Set<string> {
  return new Set(responseType.split(' ').filter(Boolean))
}

function sameWords(a: string, b: string): boolean {
  const wa = words(a)
  const wb = words(b)
  return wa.size === wb.size && [...wa].every((w) => wb.has(w))
}

export interface GrantTypes {
  grantTypes: string[]
  responseTypes: string[]
  refreshTtl: number
  usesCode: boolean
  implicit: boolean
}

/**
 * Refresh tokens come with every code, the refresh grant unlisted (policy
 * `tokens.refreshTokenWithoutGrant`; the `refresh-grant-unregistered` fault, which also honours
 * them): registration keeps the grant types as sent, the token endpoint issues them anyway.
 */
export function refreshTokenWithoutGrant(ctx: ServerContext): boolean {
  return (
    ctx.config.tokens.refreshTokenWithoutGrant === true ||
    ctx.faults.has('refresh-grant-unregistered')
  )
}

/** The effective grant and response types of a request, or a MetadataError. */
export function resolveGrantTypes(ctx: ServerContext, input: Record<string, unknown>): GrantTypes {
  const f = ctx.faults
  const policy = ctx.config.registration
  const list = (name: string) => input[name] as string[] | undefined
  const noDefaults = f.has('grant-types-default-missing')
  let grantTypes = [...new Set(list('grant_types') ?? (noDefaults ? [] : ['authorization_code']))]
  for (const grant of grantTypes) {
    if (!knownGrantTypes.has(grant))
      throw invalidMetadata('grant_types', `unknown grant type "${grant}"`)
    if (grant === 'password' && f.has('password-grant-accepted')) continue
    if (grant === 'implicit' && f.has('implicit-accepted')) continue
    if (!policy.allowedGrantTypes.includes(grant)) {
      throw invalidMetadata(
        'grant_types',
        `grant type "${grant}" is not allowed for dynamic clients`,
      )
    }
  }
  const refreshTtl =
    (input.refresh_token_ttl as number | undefined) ?? policy.defaultRefreshTokenTtl
  if (refreshTtl < 0) throw invalidMetadata('refresh_token_ttl', 'must not be negative')
  const usesCode = grantTypes.includes('authorization_code')
  if (refreshTtl > 0 || f.has('refresh-ttl-ignored')) {
    const add = usesCode && !refreshTokenWithoutGrant(ctx)
    if (add && !grantTypes.includes('refresh_token')) grantTypes.push('refresh_token')
  } else {
    grantTypes = grantTypes.filter((g) => g !== 'refresh_token')
  }

  // 4. response types: known values, consistent with the grant types (OIDC DCR §2 table)
  const implicit = grantTypes.includes('implicit')
  const defaultResponseTypes = usesCode ? ['code'] : implicit ? ['id_token'] : []
  const responseTypes = list('response_types') ?? (noDefaults ? [] : defaultResponseTypes)
  for (const rt of responseTypes) {
    if (!knownResponseTypes.some((k) => sameWords(k, rt)))
      throw invalidMetadata('response_types', `unknown response type "${rt}"`)
  }
  if (!f.has('grant-response-mismatch-accepted')) {
    for (const rt of responseTypes) {
      const w = words(rt)
      if (w.has('code') && !usesCode)
        throw invalidMetadata(
          'response_types',
          `"${rt}" requires the authorization_code grant type`,
        )
      if ((w.has('token') || w.has('id_token')) && !implicit) {
        throw invalidMetadata('response_types', `"${rt}" requires the implicit grant type`)
      }
    }
    if (usesCode && !responseTypes.some((rt) => words(rt).has('code'))) {
      throw invalidMetadata(
        'grant_types',
        'authorization_code requires a response type containing "code"',
      )
    }
    if (
      implicit &&
      !responseTypes.some((rt) => words(rt).has('token') || words(rt).has('id_token'))
    ) {
      throw invalidMetadata(
        'grant_types',
        'implicit requires a response type containing "token" or "id_token"',
      )
    }
  }
  return { grantTypes, responseTypes, refreshTtl, usesCode, implicit }
}
