/**
 * Discovery: the same document at `<issuer>/.well-known/openid-configuration` and at the RFC 8414
 * path-insertion URL.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderMetadata
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerContext } from '../context.ts'
import { sendJson } from '../http/respond.ts'
import { signingAlgs } from '../keys.ts'

export function providerMetadata(ctx: ServerContext): Record<string, unknown> {
  const f = ctx.faults
  const e = ctx.endpoints
  const policy = ctx.config.registration
  const implicit = policy.allowedGrantTypes.includes('implicit')
  const metadata: Record<string, unknown> = {
    issuer: f.has('discovery-issuer-mismatch') ? `${e.issuer}/` : e.issuer,
    authorization_endpoint: e.authorization_endpoint,
    token_endpoint: e.token_endpoint,
    registration_endpoint: e.registration_endpoint,
    userinfo_endpoint: e.userinfo_endpoint,
    introspection_endpoint: e.introspection_endpoint,
    revocation_endpoint: e.revocation_endpoint,
    jwks_uri: e.jwks_uri,
    scopes_supported: [...policy.allowedScopes, policy.iatScope, 'dcrm'],
    response_types_supported: implicit ? ['code', 'id_token', 'code id_token'] : ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: [
      ...(ctx.config.tokens.grantTypes ?? [
        'authorization_code',
        'client_credentials',
        'refresh_token',
      ]),
      ...(implicit ? ['implicit'] : []),
    ],
    subject_types_supported: ['public', 'pairwise'],
    id_token_signing_alg_values_supported: [...signingAlgs],
    userinfo_signing_alg_values_supported: [...signingAlgs],
    request_object_signing_alg_values_supported: [...signingAlgs],
    token_endpoint_auth_methods_supported: [...policy.allowedAuthMethods],
    token_endpoint_auth_signing_alg_values_supported: [...signingAlgs],
    introspection_endpoint_auth_methods_supported: [
      ...policy.allowedAuthMethods.filter((m) => m !== 'none'),
    ],
    revocation_endpoint_auth_methods_supported: [...policy.allowedAuthMethods],
    code_challenge_methods_supported: ctx.config.pkce.allowPlain ? ['S256', 'plain'] : ['S256'],
    acr_values_supported: [...policy.defaultAcrValues],
    claims_supported: [
      'sub',
      'iss',
      'aud',
      'exp',
      'iat',
      'auth_time',
      'nonce',
      'acr',
      'azp',
      'at_hash',
      'name',
      'given_name',
      'family_name',
      'email',
      'email_verified',
      'phone_number',
      'address',
    ],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    require_request_uri_registration: false,
    authorization_response_iss_parameter_supported: true,
    ui_locales_supported: ['en'],
    // draft-ietf-oauth-client-id-metadata-document-02 §6 (reference-server/cimd/).
    ...(ctx.config.cimd.enabled && !f.has('cimd-not-advertised')
      ? { client_id_metadata_document_supported: true }
      : {}),
  }
  return adjusted(ctx, metadata)
}

/** The document as a policy option or a fault changes it (what the server really advertises). */
function adjusted(ctx: ServerContext, metadata: Record<string, unknown>): Record<string, unknown> {
  const f = ctx.faults
  const policy = ctx.config.registration
  if (f.has('discovery-no-registration-endpoint')) delete metadata.registration_endpoint
  // A server that ignores userinfo_signed_response_alg has no signed UserInfo to advertise.
  if (policy.ignoredMembers?.includes('userinfo_signed_response_alg'))
    delete metadata.userinfo_signing_alg_values_supported
  // Nor, ignoring id_token_signed_response_alg, any ID token algorithm but its one default.
  if (policy.ignoredMembers?.includes('id_token_signed_response_alg'))
    metadata.id_token_signing_alg_values_supported = ['RS256']
  if (f.has('oidc-metadata-incomplete')) delete metadata.subject_types_supported
  if (f.has('metadata-response-types-missing')) delete metadata.response_types_supported
  if (f.has('unadvertised-auth-method-accepted')) {
    // Registration still accepts `none` (policy.allowedAuthMethods is unchanged).
    metadata.token_endpoint_auth_methods_supported = policy.allowedAuthMethods.filter(
      (m) => m !== 'none',
    )
  }
  if (f.has('basic-ignored')) {
    // Registration still accepts (and defaults to) client_secret_basic.
    metadata.token_endpoint_auth_methods_supported = policy.allowedAuthMethods.filter(
      (m) => m !== 'client_secret_basic',
    )
  }
  if (f.has('auth-methods-overadvertised'))
    metadata.token_endpoint_auth_methods_supported = [
      ...policy.allowedAuthMethods,
      'client_secret_jwt',
    ]
  if (f.has('discovery-http-endpoints')) {
    for (const [name, value] of Object.entries(metadata)) {
      if (name !== 'issuer' && typeof value === 'string' && value.startsWith('https://'))
        metadata[name] = `http://${value.slice('https://'.length)}`
    }
  }
  if (f.has('no-code-challenge-methods')) delete metadata.code_challenge_methods_supported
  // S256 missing: MCP clients must refuse such a server (MCP 2025-11-25, Authorization Code Protection).
  if (f.has('mcp-s256-not-advertised')) metadata.code_challenge_methods_supported = ['plain']
  return metadata
}

export async function discoveryHandler(
  ctx: ServerContext,
  _req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  sendJson(res, 200, providerMetadata(ctx), {
    'cache-control': 'public, max-age=60',
    'access-control-allow-origin': '*',
  })
}
