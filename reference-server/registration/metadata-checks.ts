/**
 * The rules of client metadata validation, one group per function in the order validate.ts
 * applies them (so the same member is named when several rules fail). Each throws a
 * MetadataError naming the member; a fault of reference-server/faults.ts relaxes its rule.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
import type { ServerContext } from '../context.ts'
import { signingAlgs } from '../keys.ts'
import { checkClientJwks } from './jwks.ts'
import { invalidMetadata, invalidRedirect } from './metadata-error.ts'
import {
  knownAuthMethods,
  memberTypes,
  serverManagedMembers,
  splitTagged,
  typeError,
} from './members.ts'
import { checkRedirectUri, rewriteRedirectUri } from './redirect-uris.ts'
import { checkSectorIdentifier } from './sector-identifier.ts'

/** One request body under validation, with typed readers of its members. */
export interface MetadataRequest {
  ctx: ServerContext
  input: Record<string, unknown>
  str(name: string): string | undefined
  list(name: string): string[] | undefined
}

export function metadataRequest(
  ctx: ServerContext,
  input: Record<string, unknown>,
): MetadataRequest {
  return {
    ctx,
    input,
    str: (name) => input[name] as string | undefined,
    list: (name) => input[name] as string[] | undefined,
  }
}

/** 1. JSON types of every known member; unknown members are ignored. */
export function checkMemberTypes({ ctx, input }: MetadataRequest): void {
  const f = ctx.faults
  for (const [name, value] of Object.entries(input)) {
    if (serverManagedMembers.has(name)) continue
    const known = name in memberTypes || splitTagged(name) !== undefined
    if (!known) {
      if (name.includes('#') && f.has('language-tags-rejected'))
        throw invalidMetadata(name, 'language tags are not supported')
      if (f.has('unknown-member-rejected'))
        throw invalidMetadata(name, 'unknown client metadata member')
      continue
    }
    if (splitTagged(name) && f.has('language-tags-rejected'))
      throw invalidMetadata(name, 'language tags are not supported')
    const problem = typeError(name, value)
    // The fault takes a scope array (validate.ts joins it, the echo shows it as sent).
    if (problem && name === 'scope' && Array.isArray(value) && f.has('scope-array-echoed')) continue
    if (problem) {
      if (f.has('5xx-on-wrong-types')) throw new TypeError(`cannot read ${name}`)
      throw problem
    }
  }
}

/** 2. application_type: the one the rules use, and the one stored. */
export function applicationTypes(req: MetadataRequest): { rules: string; stored: string } {
  const given = req.str('application_type')
  const rules = given ?? 'web'
  // The fault stores the wrong default while still applying web rules (a response-only bug).
  const stored =
    given ?? (req.ctx.faults.has('application-type-default-native') ? 'native' : 'web')
  if (rules !== 'web' && rules !== 'native') {
    throw invalidMetadata('application_type', 'must be "web" or "native"')
  }
  return { rules, stored }
}

/** 5. Redirect URIs: required for redirect-based grants, each checked (no partial registration). */
export function checkRedirectUris(
  req: MetadataRequest,
  grants: { usesCode: boolean; implicit: boolean },
  applicationType: string,
): string[] | undefined {
  const { ctx } = req
  const f = ctx.faults
  const { implicit } = grants
  const redirectUris = req.list('redirect_uris')
  // Policy `redirectUrisRequired: public-and-implicit`: only what RFC 6749 §3.1.2.2 makes a MUST.
  const mustRegister =
    ctx.config.registration.redirectUrisRequired !== 'public-and-implicit' ||
    implicit ||
    req.str('token_endpoint_auth_method') === 'none'
  const missing = !redirectUris || redirectUris.length === 0
  const required = (grants.usesCode || implicit) && mustRegister
  if (required && missing && !f.has('redirect-uris-not-required')) {
    throw invalidRedirect(
      'redirect_uris is required for the authorization_code and implicit grant types',
    )
  }
  // Fault: a partial check, as servers that validate only the first entry do.
  const all = redirectUris ?? []
  const checked = f.has('redirect-uris-first-only') ? all.slice(0, 1) : all
  for (const uri of checked)
    checkRedirectUri(ctx, uri, { applicationType, implicit, count: checked.length })
  // Fault: the URIs were valid, yet the client is registered without any (a silent drop).
  if (redirectUris && f.has('redirect-uris-dropped')) return []
  return redirectUris && f.has('redirect-rewritten')
    ? redirectUris.map(rewriteRedirectUri)
    : redirectUris
}

/** 6. Token endpoint authentication: the method, checked against the policy and the grants. */
export function resolveAuthMethod(
  req: MetadataRequest,
  grantTypes: readonly string[],
  echoOverrides: Record<string, unknown>,
): string {
  const f = req.ctx.faults
  const policy = req.ctx.config.registration
  const stated = req.str('token_endpoint_auth_method')
  const authMethod =
    stated ??
    (f.has('default-auth-method-post') || f.has('auth-method-unstated-post')
      ? 'client_secret_post'
      : (policy.defaultAuthMethod ?? 'client_secret_basic'))
  // The fault: the provisioned method is left out of the response (absent: client_secret_basic).
  if (stated === undefined && f.has('auth-method-unstated-post'))
    echoOverrides.token_endpoint_auth_method = undefined
  if (!knownAuthMethods.has(authMethod) && !f.has('unknown-auth-method-accepted')) {
    throw invalidMetadata('token_endpoint_auth_method', `unknown method "${authMethod}"`)
  }
  if (knownAuthMethods.has(authMethod) && !policy.allowedAuthMethods.includes(authMethod)) {
    throw invalidMetadata('token_endpoint_auth_method', `method "${authMethod}" is not supported`)
  }
  if (
    authMethod === 'none' &&
    grantTypes.includes('client_credentials') &&
    policy.noneWithClientCredentials !== 'accept' &&
    !f.has('none-with-client-credentials')
  ) {
    throw invalidMetadata(
      'token_endpoint_auth_method',
      'client_credentials requires a confidential client (not "none")',
    )
  }
  const signingAlg = req.str('token_endpoint_auth_signing_alg')
  const signingAlgOk = signingAlg === undefined || isSigningAlg(signingAlg)
  if (!signingAlgOk && !f.has('alg-unsupported-accepted')) {
    throw invalidMetadata(
      'token_endpoint_auth_signing_alg',
      `unsupported algorithm "${signingAlg}"`,
    )
  }
  return authMethod
}

/** 7. Keys: jwks or jwks_uri, not both; private_key_jwt needs one. */
export function checkKeys({ ctx, input }: MetadataRequest, authMethod: string): void {
  if (
    input.jwks !== undefined &&
    input.jwks_uri !== undefined &&
    !ctx.faults.has('jwks-and-jwks-uri-accepted')
  ) {
    throw invalidMetadata('jwks', 'jwks and jwks_uri must not both be present')
  }
  if (input.jwks !== undefined) checkClientJwks(ctx, input.jwks as Record<string, unknown>)
  const noKeys = input.jwks === undefined && input.jwks_uri === undefined
  if (authMethod === 'private_key_jwt' && noKeys) {
    throw invalidMetadata('token_endpoint_auth_method', 'private_key_jwt requires jwks or jwks_uri')
  }
}

/** The hosts of the redirect URIs (what the URL members and pairwise subjects are held to). */
export function hostsOf(redirectUris: readonly string[]): Set<string> {
  return new Set(
    redirectUris.flatMap((uri) => {
      try {
        return [new URL(uri).hostname]
      } catch {
        return []
      }
    }),
  )
}

/** 9. Subject type; a pairwise client on several hosts needs a sector identifier (OIDC DCR §2). */
export async function checkSubjectType(
  req: MetadataRequest,
  redirectUris: readonly string[],
  redirectHosts: ReadonlySet<string>,
): Promise<string> {
  const f = req.ctx.faults
  const subjectType = req.str('subject_type') ?? 'public'
  if (subjectType !== 'public' && subjectType !== 'pairwise' && !f.has('subject-type-unchecked')) {
    throw invalidMetadata('subject_type', 'must be "public" or "pairwise"')
  }
  const sectorUri = req.str('sector_identifier_uri')
  const severalHosts = redirectHosts.size > 1 && !f.has('pairwise-multi-host-accepted')
  if (subjectType === 'pairwise' && sectorUri === undefined && severalHosts) {
    throw invalidMetadata(
      'sector_identifier_uri',
      'required for pairwise clients with redirect URIs on several hosts',
    )
  }
  if (sectorUri !== undefined && new URL(sectorUri).protocol === 'https:') {
    await checkSectorIdentifier(req.ctx, sectorUri, [...redirectUris])
  }
  return subjectType
}

/** 10. Signing algorithms (no `none`), and no encryption support; returns the ID token's alg. */
export function checkAlgorithms(req: MetadataRequest): string {
  const f = req.ctx.faults
  for (const name of [
    'id_token_signed_response_alg',
    'userinfo_signed_response_alg',
    'request_object_signing_alg',
  ]) {
    const alg = req.str(name)
    if (alg === undefined || isSigningAlg(alg)) continue
    if (f.has('alg-unsupported-accepted') && name !== 'request_object_signing_alg') continue
    throw invalidMetadata(
      name,
      alg === 'none' ? '"none" is not allowed' : `unsupported algorithm "${alg}"`,
    )
  }
  for (const prefix of [
    'id_token_encrypted_response',
    'userinfo_encrypted_response',
    'request_object_encryption',
  ]) {
    const alg = `${prefix}_alg`
    const enc = `${prefix}_enc`
    if (req.input[enc] !== undefined && req.input[alg] === undefined) {
      if (!f.has('enc-without-alg-accepted')) throw invalidMetadata(enc, `requires ${alg}`)
      continue
    }
    if (req.input[alg] !== undefined) throw invalidMetadata(alg, 'encryption is not supported')
  }
  return (
    req.str('id_token_signed_response_alg') ??
    (f.has('id-token-alg-default-wrong') ? 'ES256' : 'RS256')
  )
}

/** 11-12. Numbers, and the authenticators of default_acr_values (returned when given). */
export function checkNumbersAndAcr(req: MetadataRequest): string[] | undefined {
  const maxAge = req.input.default_max_age as number | undefined
  if (maxAge !== undefined && maxAge < 0)
    throw invalidMetadata('default_max_age', 'must not be negative')
  const accessTtl = req.input.access_token_ttl as number | undefined
  if (accessTtl !== undefined && accessTtl <= 0)
    throw invalidMetadata('access_token_ttl', 'must be a positive integer')
  const acrValues = req.list('default_acr_values')
  if (acrValues !== undefined && !req.ctx.faults.has('acr-unchecked')) {
    const allowed = req.ctx.config.registration.defaultAcrValues
    const unknown = acrValues.find((a) => !allowed.includes(a))
    if (unknown)
      throw invalidMetadata('default_acr_values', `authenticator "${unknown}" is not allowed`)
  }
  return acrValues
}

function isSigningAlg(alg: string): boolean {
  return (signingAlgs as readonly string[]).includes(alg)
}
