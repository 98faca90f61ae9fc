/**
 * What the harness's built-in `reference` target exposes to scenarios as `target.data.<name>`.
 * Secrets are included on purpose: they are test-only values of a local server.
 */
import { readFileSync } from 'node:fs'
import type { RunningReferenceServer } from '../reference-server/api.ts'
import { resolveConfig } from '../reference-server/config.ts'
import { fixtureKeyPath } from '../reference-server/fixture-keys.ts'
import type { ReferenceConfig, TemplateConfig } from '../reference-server/config.ts'
import { mcpPaths } from '../reference-server/mcp/resources.ts'

export type ReferenceTestData = {
  /** Template client id for templatized registration (`{"software_id": ...}`), e.g. `template-web`. */
  template_software_id: string
  /** A `software_id` that names no template (refused with invalid_client_metadata in templatized-only mode). */
  unknown_template_software_id: string
  /** The template's configuration: the redirect URIs, scope and grants its copies get. */
  template: TemplateConfig | undefined
  /** Private JWK (ES256, kid `ssa-trusted-1`) of a statement issuer the server trusts. */
  ssa_trusted_private_jwk: Record<string, unknown>
  /** Private JWK (ES256, kid `ssa-untrusted-1`) the server does not trust. */
  ssa_untrusted_private_jwk: Record<string, unknown>
  /** Absolute path of the trusted private JWK file (fixtures/keys). */
  ssa_trusted_key_file: string
  /** Absolute path of the untrusted private JWK file. */
  ssa_untrusted_key_file: string
  /** An `iss` for statements; any non-empty issuer is accepted when the key is trusted. */
  ssa_issuer: string
  /** Curity management client (client_credentials, scope `dcrm`): may manage any dynamic client. */
  management_client_id: string
  management_client_secret: string
  management_scope: string
  /** The client that obtains initial access tokens (`server`). */
  registration_client_id: string
  registration_client_secret: string
  /** The scope an IAT carries (`dcr`). */
  registration_scope: string
  /** A scope the registration client may get that does not allow registration (`read`). */
  other_scope: string
  /** A scope the server knows but never registers for dynamic clients (`admin`). */
  privileged_scope: string | undefined
  /** Scopes a dynamic client may register. */
  allowed_scopes: string[]
  /** A scope outside the allowed list (refused with invalid_client_metadata by default). */
  outside_scope: string
  /** The allowed authenticators, echoed as `default_acr_values`. */
  default_acr_values: string[]
  /** An ACR value outside the allowed authenticators. */
  unknown_acr_value: string
  /** The login page's test user. */
  username: string
  password: string
  /** `refresh_token_ttl` of a client that does not ask for one (s). */
  default_refresh_token_ttl: number
  /** Lifetime of an IAT (s); also its `expires_in`. */
  iat_ttl: number
  /** Default access token lifetime (s). */
  access_token_ttl: number
  /** `registration_access_token_expires_in` (s). */
  registration_access_token_ttl: number
  /** Authorization code lifetime (s). */
  code_ttl: number
  /** `code_challenge_methods_supported`. */
  code_challenge_methods: string[]
  /** Unknown metadata members are ignored and not echoed (RFC 7591 §2 leaves echoing open). */
  unknown_members_echoed: boolean
  /** GET/PUT on the configuration endpoint rotate the RAT and the secret (Curity behaviour). */
  rotate_on_read: boolean
  /** A failed registration still consumes its IAT. */
  consume_iat_on_failure: boolean
  /** How the registration endpoint is authorised: `client`, `user` or `none`. */
  registration_authentication: string
  /** The MCP server the suites/mcp/ group talks to (reference-server/mcp/). */
  mcp_server: string
  /** A second MCP server of the same authorization server (another audience). */
  mcp_other_resource: string
}

function readJwk(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(fixtureKeyPath(name), 'utf8')) as Record<string, unknown>
}

/** The test data of a running server (its effective policy when it carries `config`). */
export function referenceTestData(
  server: RunningReferenceServer & { config?: ReferenceConfig },
): ReferenceTestData {
  const config = server.config ?? resolveConfig()
  const policy = config.registration
  return {
    template_software_id: server.templateSoftwareId,
    unknown_template_software_id: 'harness-unknown-template',
    template: config.templates.find((t) => t.client_id === server.templateSoftwareId),
    ssa_trusted_private_jwk: readJwk('ssa-trusted.private.jwk.json'),
    ssa_untrusted_private_jwk: readJwk('ssa-untrusted.private.jwk.json'),
    ssa_trusted_key_file: fixtureKeyPath('ssa-trusted.private.jwk.json'),
    ssa_untrusted_key_file: fixtureKeyPath('ssa-untrusted.private.jwk.json'),
    ssa_issuer: 'https://ssa-issuer.dcr-conformance.test',
    management_client_id: server.managementClient.client_id,
    management_client_secret: server.managementClient.client_secret,
    management_scope: server.managementClient.scope,
    registration_client_id: server.registrationClient.client_id,
    registration_client_secret: server.registrationClient.client_secret,
    registration_scope: policy.iatScope,
    other_scope: server.registrationClient.other_scope,
    privileged_scope: policy.privilegedScopes[0],
    allowed_scopes: [...policy.allowedScopes],
    outside_scope: 'harness-outside-scope',
    default_acr_values: [...policy.defaultAcrValues],
    unknown_acr_value: 'urn:se:curity:authentication:harness:unknown',
    username: server.user.username,
    password: server.user.password,
    default_refresh_token_ttl: policy.defaultRefreshTokenTtl,
    iat_ttl: config.tokens.iatTtl,
    access_token_ttl: config.tokens.accessTokenTtl,
    registration_access_token_ttl: policy.registrationAccessTokenTtl,
    code_ttl: config.tokens.codeTtl,
    code_challenge_methods: config.pkce.allowPlain ? ['S256', 'plain'] : ['S256'],
    unknown_members_echoed: false,
    rotate_on_read: policy.rotateOnRead,
    consume_iat_on_failure: policy.consumeIatOnFailure,
    registration_authentication: policy.authentication,
    mcp_server: server.origin + mcpPaths.server,
    mcp_other_resource: server.origin + mcpPaths.other,
  }
}
