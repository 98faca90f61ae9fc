/**
 * The reference server: a spec-complete OAuth 2.0 / OpenID Connect authorization server with
 * dynamic client registration on Curity's URL layout, the built-in default target of
 * dcr-conformance. It knows nothing of the harness.
 */
import { readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import type { ReferenceServerOptions, RunningReferenceServer } from './api.ts'
import { fixtureKeyPath, resolveConfig } from './config.ts'
import type { ReferenceConfig, StaticClientConfig } from './config.ts'
import { endpointsFor } from './context.ts'
import type { ServerContext } from './context.ts'
import { FaultSet } from './faults.ts'
import { serverKeys } from './keys.ts'
import { randomToken } from './random.ts'
import { createNodeServer } from './server.ts'
import { MemoryStore } from './store.ts'
import type { Store } from './store.ts'

export type { Fault, ReferenceServerOptions, RunningReferenceServer } from './api.ts'
export { faultCatalogue } from './faults.ts'
export { defaultConfig, resolveConfig } from './config.ts'
export type { ReferenceConfig } from './config.ts'

/** A running server with what tests need beyond the api.ts contract. */
export interface ReferenceServer extends RunningReferenceServer {
  /** The effective policy. */
  config: ReferenceConfig
  /** Capability flags (requirements.md §0.2) this instance supports under its policy. */
  capabilities: string[]
  /** The state store (for tests that inspect state; handlers never bypass it). */
  store: Store
}

/**
 * Capability flags of the reference server under the default policy, using the catalog's flag
 * names (requirements.md §0.2) plus `iat_consumed_on_failure`.
 */
export const referenceCapabilities: string[] = capabilitiesFor(resolveConfig())

/** Capability flags under a given policy. */
export function capabilitiesFor(config: ReferenceConfig): string[] {
  const policy = config.registration
  const flags = [
    'oidc', 'rfc7592', 'delete', 'software_statement', 'public_clients', 'secret_post', 'native_apps',
    'refresh_tokens', 'pairwise', 'alt_id_token_alg', 'userinfo', 'introspection', 'iss_param', 'user_login',
    'i18n_metadata', 'curity', 'curity_dcrm',
  ]
  if (policy.authentication === 'none') flags.push('open_registration')
  else flags.push('iat_required', 'iat_one_time')
  if (policy.authentication !== 'none' && policy.consumeIatOnFailure) flags.push('iat_consumed_on_failure')
  if (policy.mode !== 'templatized') flags.push('curity_nontemplatized')
  if (policy.mode !== 'non-templatized' && config.templates.length > 0) flags.push('curity_templatized')
  if (policy.allowedGrantTypes.includes('implicit')) flags.push('implicit')
  if (!policy.allowedAuthMethods.includes('none')) flags.splice(flags.indexOf('public_clients'), 1)
  return flags
}

function readJwk(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(fixtureKeyPath(name), 'utf8')) as Record<string, unknown>
}

/**
 * Data the harness's built-in `reference` target exposes to scenarios as `target.data.<name>`.
 * Secrets are included on purpose (test-only values of a local server).
 */
export function referenceTestData(server: RunningReferenceServer & { config?: ReferenceConfig }): Record<string, unknown> {
  const config = server.config ?? resolveConfig()
  const policy = config.registration
  return {
    /** Template client id for templatized registration (`{"software_id": ...}`). */
    template_software_id: server.templateSoftwareId,
    /** A software_id that names no template. */
    unknown_template_software_id: 'harness-unknown-template',
    /** Redirect URIs, scope and grants the template gives its copies. */
    template: config.templates.find((t) => t.client_id === server.templateSoftwareId),
    /** Private JWK (ES256, kid ssa-trusted-1) the server trusts for software statements. */
    ssa_trusted_private_jwk: readJwk('ssa-trusted.private.jwk.json'),
    /** Private JWK (ES256, kid ssa-untrusted-1) the server does not trust. */
    ssa_untrusted_private_jwk: readJwk('ssa-untrusted.private.jwk.json'),
    ssa_trusted_key_file: fixtureKeyPath('ssa-trusted.private.jwk.json'),
    ssa_untrusted_key_file: fixtureKeyPath('ssa-untrusted.private.jwk.json'),
    /** Any non-empty `iss` is accepted; this one is conventional. */
    ssa_issuer: 'https://ssa-issuer.dcr-conformance.test',
    /** Curity management client (scope `dcrm`). */
    management_client_id: server.managementClient.client_id,
    management_client_secret: server.managementClient.client_secret,
    management_scope: server.managementClient.scope,
    /** The IAT client and the scope it may get that does not allow registration. */
    registration_client_id: server.registrationClient.client_id,
    registration_client_secret: server.registrationClient.client_secret,
    registration_scope: policy.iatScope,
    other_scope: server.registrationClient.other_scope,
    /** A scope the server knows but never registers for dynamic clients. */
    privileged_scope: policy.privilegedScopes[0],
    allowed_scopes: [...policy.allowedScopes],
    /** A scope outside the allowed list (refused with invalid_client_metadata by default). */
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
    /** Unknown metadata members are ignored and not echoed. */
    unknown_members_echoed: false,
    rotate_on_read: policy.rotateOnRead,
    consume_iat_on_failure: policy.consumeIatOnFailure,
  }
}

function staticClient(ctx: { now(): number }, config: StaticClientConfig, secret: string) {
  const { client_id, client_secret: _ignored, other_scope: _other, ...metadata } = config as StaticClientConfig & { other_scope?: string }
  return {
    client_id,
    client_secret: secret,
    client_secret_expires_at: 0,
    client_id_issued_at: ctx.now(),
    kind: 'static' as const,
    metadata: { token_endpoint_auth_method: 'client_secret_basic', response_types: ['code'], ...metadata },
  }
}

function logLine(entry: Record<string, unknown>): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), source: 'reference-server', ...entry })}\n`)
}

/** Starts the reference server on loopback (random port unless given). */
export async function startReferenceServer(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  const config = resolveConfig(options.config)
  const faults = new FaultSet(options.faults ?? [])
  const keys = await serverKeys()
  const store = new MemoryStore()
  const host = options.host ?? '127.0.0.1'
  const ctx: ServerContext = {
    config,
    store,
    faults,
    keys,
    origin: '',
    endpoints: endpointsFor(''),
    now: () => Math.floor(Date.now() / 1000),
    log: logLine,
  }

  const registrationSecret = config.registrationClient.client_secret ?? process.env.DCR_REFERENCE_CLIENT_SECRET ?? randomToken(24)
  await store.saveClient(staticClient(ctx, config.registrationClient, registrationSecret))
  const managers = config.managementClients.map((c) => ({ config: c, secret: c.client_secret ?? randomToken(24) }))
  for (const m of managers) await store.saveClient(staticClient(ctx, m.config, m.secret))
  for (const c of config.clients) await store.saveClient(staticClient(ctx, c, c.client_secret ?? randomToken(24)))

  const server = createNodeServer(ctx, options.tls)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const hostPart = host.includes(':') ? `[${host}]` : host
  const origin = `${options.tls ? 'https' : 'http'}://${hostPart}:${port}`
  ctx.origin = origin
  ctx.endpoints = endpointsFor(origin)

  const manager = managers[0]
  const user = config.users[0] ?? { username: '', password: '' }
  return {
    issuer: ctx.endpoints.issuer,
    origin,
    port,
    registrationClient: {
      client_id: config.registrationClient.client_id,
      client_secret: registrationSecret,
      scope: config.registration.iatScope,
      other_scope: config.registrationClient.other_scope,
    },
    managementClient: {
      client_id: manager?.config.client_id ?? '',
      client_secret: manager?.secret ?? '',
      scope: 'dcrm',
    },
    user: { username: user.username, password: user.password },
    templateSoftwareId: config.templates[0]?.client_id ?? '',
    faults: faults.list(),
    config,
    capabilities: capabilitiesFor(config),
    store,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      await store.close()
    },
  }
}
