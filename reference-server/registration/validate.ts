/**
 * Client metadata validation and defaults for registration (RFC 7591 §2, OIDC DCR §2) and update
 * (RFC 7592 §2.2). Returns the metadata to store; every rule throws a {@link MetadataError}
 * naming the member.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 * @see https://openid.net/specs/openid-connect-registration-1_0.html#ClientMetadata
 */
import type { ServerContext } from '../context.ts'
import { resolveGrantTypes } from './grant-types.ts'
import { memberTypes, serverManagedMembers, splitTagged } from './members.ts'
import {
  applicationTypes,
  checkAlgorithms,
  checkKeys,
  checkMemberTypes,
  checkNumbersAndAcr,
  checkRedirectUris,
  checkSubjectType,
  hostsOf,
  metadataRequest,
  resolveAuthMethod,
} from './metadata-checks.ts'
import { resolveScope } from './scope.ts'
import { checkUrlMembers } from './url-members.ts'

/** Validated metadata: what is stored, plus members echoed differently (faults only). */
export interface ValidatedMetadata {
  metadata: Record<string, unknown>
  echoOverrides: Record<string, unknown>
}

/**
 * Validates one registration or update request body (already merged with any software
 * statement) and fills in the defaults. The rules run in a fixed order (metadata-checks.ts).
 */
export async function validateMetadata(
  ctx: ServerContext,
  body: Record<string, unknown>,
): Promise<ValidatedMetadata> {
  // Members the server does not understand (policy): ignored like any unknown member.
  const ignored = new Set(ctx.config.registration.ignoredMembers ?? [])
  const input = Object.fromEntries(Object.entries(body).filter(([name]) => !ignored.has(name)))
  const req = metadataRequest(ctx, input)
  const echoOverrides: Record<string, unknown> = {}
  checkMemberTypes(req)
  const applicationType = applicationTypes(req)
  // 3-4. grant and response types (OIDC DCR §2 table), refresh grant by refresh_token_ttl
  const grants = resolveGrantTypes(ctx, input)
  const redirectUris = checkRedirectUris(req, grants, applicationType.rules)
  const authMethod = resolveAuthMethod(req, grants.grantTypes, echoOverrides)
  checkKeys(req, authMethod)
  // 8. URL-valued members
  const redirectHosts = hostsOf(redirectUris ?? [])
  checkUrlMembers(ctx, input, redirectHosts)
  const subjectType = await checkSubjectType(req, redirectUris ?? [], redirectHosts)
  const idTokenAlg = checkAlgorithms(req)
  const acrValues = checkNumbersAndAcr(req)
  // 13. scope
  const sent = input['scope']
  const scope = Array.isArray(sent) ? sent.join(' ') : req.str('scope') // an array: the fault's
  const { granted, echoed } = resolveScope(ctx, scope)
  if (echoed !== undefined) echoOverrides.scope = echoed
  if (Array.isArray(sent)) echoOverrides.scope = sent
  // Assembled in Curity's order: server-provisioned defaults, then the requested optional members.
  const provisioned: Record<string, unknown> = {
    ...(redirectUris !== undefined ? { redirect_uris: redirectUris } : {}),
    grant_types: grants.grantTypes,
    response_types: grants.responseTypes,
    token_endpoint_auth_method: authMethod,
    scope: granted,
    application_type: applicationType.stored,
    subject_type: subjectType,
    id_token_signed_response_alg: idTokenAlg,
  }
  const metadata = withRequested(ctx, input, provisioned, acrValues, grants)
  garbleContacts(ctx, metadata, echoOverrides)
  // Nor does it provision defaults for them (e.g. id_token_signed_response_alg RS256).
  for (const name of ignored) delete metadata[name]
  return { metadata, echoOverrides }
}

/** The provisioned members, then the requested optional members as sent. */
function withRequested(
  ctx: ServerContext,
  input: Record<string, unknown>,
  out: Record<string, unknown>,
  acrValues: string[] | undefined,
  grants: { usesCode: boolean; refreshTtl: unknown },
): Record<string, unknown> {
  const f = ctx.faults
  if (acrValues !== undefined) out.default_acr_values = acrValues
  else if (!f.has('no-default-acr'))
    out.default_acr_values = [...ctx.config.registration.defaultAcrValues]
  if (grants.usesCode) out.refresh_token_ttl = grants.refreshTtl
  for (const [name, value] of Object.entries(input)) {
    if (serverManagedMembers.has(name) || name in out) continue
    if (name in memberTypes || splitTagged(name)) out[name] = value
  }
  if (Array.isArray(out.contacts) && f.has('contacts-as-string'))
    out.contacts = (out.contacts as string[]).join(',')
  if (
    out.token_endpoint_auth_method === 'none' &&
    out.require_proof_key === undefined &&
    ctx.config.pkce.requireForPublicClients
  ) {
    // Public clients must use PKCE (RFC 9700 §2.1.1); shown so the client knows.
    out.require_proof_key = true
  }
  return out
}

/** The fault: UTF-8 bytes decoded as Latin-1 on the way out (stored correctly, echoed garbled). */
function garbleContacts(
  ctx: ServerContext,
  out: Record<string, unknown>,
  echoOverrides: Record<string, unknown>,
): void {
  if (!Array.isArray(out.contacts) || !ctx.faults.has('contacts-non-ascii-garbled')) return
  const contacts = out.contacts as string[]
  if (contacts.some((contact) => /[^\u0000-\u007f]/.test(contact)))
    echoOverrides.contacts = contacts.map((c) => Buffer.from(c, 'utf8').toString('latin1'))
}
