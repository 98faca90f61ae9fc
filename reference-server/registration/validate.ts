/**
 * Client metadata validation and defaults for registration (RFC 7591 §2, OIDC DCR §2) and update
 * (RFC 7592 §2.2). Returns the metadata to store; every rule throws a {@link MetadataError}
 * naming the member.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 * @see https://openid.net/specs/openid-connect-registration-1_0.html#ClientMetadata
 */
import type { ServerContext } from '../context.ts'
import { signingAlgs } from '../keys.ts'
import { resolveGrantTypes } from './grant-types.ts'
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
import { resolveScope } from './scope.ts'
import { checkSectorIdentifier } from './sector-identifier.ts'
import { checkUrlMembers } from './url-members.ts'

/** Validated metadata: what is stored, plus members echoed differently (faults only). */
export interface ValidatedMetadata {
  metadata: Record<string, unknown>
  echoOverrides: Record<string, unknown>
}

/**
 * Validates one registration or update request body (already merged with any software
 * statement) and fills in the defaults.
 */
export async function validateMetadata(
  ctx: ServerContext,
  input: Record<string, unknown>,
): Promise<ValidatedMetadata> {
  const f = ctx.faults
  const policy = ctx.config.registration
  const out: Record<string, unknown> = {}
  const echoOverrides: Record<string, unknown> = {}
  // Members the server does not understand (policy): ignored like any unknown member.
  const ignored = new Set(policy.ignoredMembers ?? [])
  if (ignored.size > 0)
    input = Object.fromEntries(Object.entries(input).filter(([name]) => !ignored.has(name)))

  // 1. JSON types of every known member; unknown members are ignored.
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
    if (problem) {
      if (f.has('5xx-on-wrong-types')) throw new TypeError(`cannot read ${name}`)
      throw problem
    }
  }
  const str = (name: string) => input[name] as string | undefined
  const list = (name: string) => input[name] as string[] | undefined

  // 2. application_type
  const applicationType = str('application_type') ?? 'web'
  // The fault stores the wrong default while still applying web rules (a response-only bug).
  const storedApplicationType =
    str('application_type') ?? (f.has('application-type-default-native') ? 'native' : 'web')
  if (applicationType !== 'web' && applicationType !== 'native') {
    throw invalidMetadata('application_type', 'must be "web" or "native"')
  }

  // 3-4. grant and response types (OIDC DCR §2 table), refresh grant by refresh_token_ttl
  const { grantTypes, responseTypes, refreshTtl, usesCode, implicit } = resolveGrantTypes(
    ctx,
    input,
  )

  // 5. redirect URIs: required for redirect-based grants, each checked (no partial registration)
  let redirectUris = list('redirect_uris')
  const redirectBased = usesCode || implicit
  // Policy `redirectUrisRequired: public-and-implicit`: only what RFC 6749 §3.1.2.2 makes a MUST.
  const mustRegisterRedirect =
    policy.redirectUrisRequired !== 'public-and-implicit' ||
    implicit ||
    str('token_endpoint_auth_method') === 'none'
  if (
    redirectBased &&
    mustRegisterRedirect &&
    (!redirectUris || redirectUris.length === 0) &&
    !f.has('redirect-uris-not-required')
  ) {
    throw invalidRedirect(
      'redirect_uris is required for the authorization_code and implicit grant types',
    )
  }
  // Fault: a partial check, as servers that validate only the first entry do.
  const checked = ctx.faults.has('redirect-uris-first-only') ? (redirectUris ?? []).slice(0, 1) : (redirectUris ?? [])
  for (const uri of checked)
    checkRedirectUri(ctx, uri, { applicationType, implicit, count: checked.length })
  if (redirectUris && f.has('redirect-rewritten'))
    redirectUris = redirectUris.map(rewriteRedirectUri)

  // 6. token endpoint authentication
  const unstated = str('token_endpoint_auth_method') === undefined
  const authMethod =
    str('token_endpoint_auth_method') ??
    (f.has('default-auth-method-post') || f.has('auth-method-unstated-post')
      ? 'client_secret_post'
      : 'client_secret_basic')
  // The fault: the provisioned method is left out of the response (absent means client_secret_basic).
  if (unstated && f.has('auth-method-unstated-post'))
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
  const signingAlg = str('token_endpoint_auth_signing_alg')
  const signingAlgOk =
    signingAlg === undefined || (signingAlgs as readonly string[]).includes(signingAlg)
  if (!signingAlgOk && !f.has('alg-unsupported-accepted')) {
    throw invalidMetadata(
      'token_endpoint_auth_signing_alg',
      `unsupported algorithm "${signingAlg}"`,
    )
  }

  // 7. keys
  if (
    input.jwks !== undefined &&
    input.jwks_uri !== undefined &&
    !f.has('jwks-and-jwks-uri-accepted')
  ) {
    throw invalidMetadata('jwks', 'jwks and jwks_uri must not both be present')
  }
  if (input.jwks !== undefined) checkClientJwks(ctx, input.jwks as Record<string, unknown>)
  if (
    authMethod === 'private_key_jwt' &&
    input.jwks === undefined &&
    input.jwks_uri === undefined
  ) {
    throw invalidMetadata('token_endpoint_auth_method', 'private_key_jwt requires jwks or jwks_uri')
  }

  // 8. URL-valued members
  const redirectHosts = new Set(
    (redirectUris ?? []).flatMap((u) => {
      try {
        return [new URL(u).hostname]
      } catch {
        return []
      }
    }),
  )
  checkUrlMembers(ctx, input, redirectHosts)

  // 9. subject type
  const subjectType = str('subject_type') ?? 'public'
  if (subjectType !== 'public' && subjectType !== 'pairwise' && !f.has('subject-type-unchecked')) {
    throw invalidMetadata('subject_type', 'must be "public" or "pairwise"')
  }
  const sectorUri = str('sector_identifier_uri')
  if (subjectType === 'pairwise') {
    if (
      sectorUri === undefined &&
      redirectHosts.size > 1 &&
      !f.has('pairwise-multi-host-accepted')
    ) {
      throw invalidMetadata(
        'sector_identifier_uri',
        'required for pairwise clients with redirect URIs on several hosts',
      )
    }
  }
  if (sectorUri !== undefined && new URL(sectorUri).protocol === 'https:') {
    await checkSectorIdentifier(sectorUri, redirectUris ?? [])
  }

  // 10. algorithms (no encryption support)
  const idTokenAlg =
    str('id_token_signed_response_alg') ?? (f.has('id-token-alg-default-wrong') ? 'ES256' : 'RS256')
  for (const name of [
    'id_token_signed_response_alg',
    'userinfo_signed_response_alg',
    'request_object_signing_alg',
  ]) {
    const alg = str(name)
    if (alg === undefined || (signingAlgs as readonly string[]).includes(alg)) continue
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
    if (input[enc] !== undefined && input[alg] === undefined) {
      if (!f.has('enc-without-alg-accepted')) throw invalidMetadata(enc, `requires ${alg}`)
      continue
    }
    if (input[alg] !== undefined) throw invalidMetadata(alg, 'encryption is not supported')
  }

  // 11. numbers and flags
  const maxAge = input.default_max_age as number | undefined
  if (maxAge !== undefined && maxAge < 0)
    throw invalidMetadata('default_max_age', 'must not be negative')
  const accessTtl = input.access_token_ttl as number | undefined
  if (accessTtl !== undefined && accessTtl <= 0)
    throw invalidMetadata('access_token_ttl', 'must be a positive integer')

  // 12. authenticators (default_acr_values)
  const acrValues = list('default_acr_values')
  if (acrValues !== undefined && !f.has('acr-unchecked')) {
    const unknown = acrValues.find((a) => !policy.defaultAcrValues.includes(a))
    if (unknown)
      throw invalidMetadata('default_acr_values', `authenticator "${unknown}" is not allowed`)
  }

  // 13. scope
  const { granted, echoed } = resolveScope(ctx, str('scope'))
  if (echoed !== undefined) echoOverrides.scope = echoed

  // Assemble in Curity's order: server-provisioned defaults, then the requested optional members.
  if (redirectUris !== undefined) out.redirect_uris = redirectUris
  out.grant_types = grantTypes
  out.response_types = responseTypes
  out.token_endpoint_auth_method = authMethod
  out.scope = granted
  out.application_type = storedApplicationType
  out.subject_type = subjectType
  out.id_token_signed_response_alg = idTokenAlg
  if (acrValues !== undefined) out.default_acr_values = acrValues
  else if (!f.has('no-default-acr')) out.default_acr_values = [...policy.defaultAcrValues]
  if (usesCode) out.refresh_token_ttl = refreshTtl
  for (const [name, value] of Object.entries(input)) {
    if (serverManagedMembers.has(name) || name in out) continue
    if (name in memberTypes || splitTagged(name)) out[name] = value
  }
  if (Array.isArray(out.contacts) && f.has('contacts-as-string'))
    out.contacts = (out.contacts as string[]).join(',')
  // The fault: UTF-8 bytes decoded as Latin-1 on the way out (stored correctly, echoed garbled).
  if (Array.isArray(out.contacts) && f.has('contacts-non-ascii-garbled')) {
    const contacts = out.contacts as string[]
    if (contacts.some((contact) => /[^\u0000-\u007f]/.test(contact)))
      echoOverrides.contacts = contacts.map((c) => Buffer.from(c, 'utf8').toString('latin1'))
  }
  if (
    authMethod === 'none' &&
    out.require_proof_key === undefined &&
    ctx.config.pkce.requireForPublicClients
  ) {
    // Public clients must use PKCE (RFC 9700 §2.1.1); shown so the client knows.
    out.require_proof_key = true
  }
  // Nor does it provision defaults for them (e.g. id_token_signed_response_alg RS256).
  for (const name of ignored) delete out[name]
  return { metadata: out, echoOverrides }
}
