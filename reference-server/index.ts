/**
 * The reference server: a spec-complete OAuth 2.0 / OpenID Connect authorization server with
 * dynamic client registration on Curity's URL layout, the built-in default target of
 * dcr-conformance. It knows nothing of the harness.
 */
import type { AddressInfo } from 'node:net'
import type { ReferenceServerOptions, RunningReferenceServer } from './api.ts'
import { resolveConfig } from './config.ts'
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
export { referenceTestData } from './test-data.ts'
export type { ReferenceTestData } from './test-data.ts'
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

/**
 * Capability flags under a given policy; `tls` adds `plain_http_probe` (a cleartext request to the
 * TLS port is refused, so the probe can be run safely).
 */
export function capabilitiesFor(config: ReferenceConfig, tls = false): string[] {
  const policy = config.registration
  const flags = [
    'oidc',
    'rfc7592',
    'delete',
    'software_statement',
    'public_clients',
    'secret_post',
    'native_apps',
    'refresh_tokens',
    'pairwise',
    'alt_id_token_alg',
    'userinfo',
    'introspection',
    'iss_param',
    'user_login',
    'i18n_metadata',
    'curity',
    'rfc8414_metadata',
    'cors',
    // Two MCP servers beside the authorization server (reference-server/mcp/).
    'mcp',
    'mcp_second_resource',
    // One audience per token: several `resource` parameters get invalid_target (RFC 8707 §3).
    'single_resource_tokens',
  ]
  if (config.managementClients.length > 0) flags.push('curity_dcrm')
  if (policy.privilegedScopes.length > 0) flags.push('privileged_scope')
  if (policy.allowedGrantTypes.includes('client_credentials'))
    flags.push('client_credentials_clients')
  if (policy.authentication === 'none') flags.push('open_registration')
  else flags.push('iat_required', 'iat_one_time')
  if (policy.authentication !== 'none' && policy.consumeIatOnFailure)
    flags.push('iat_consumed_on_failure')
  if (policy.mode !== 'templatized') flags.push('curity_nontemplatized')
  if (policy.mode !== 'non-templatized' && config.templates.length > 0)
    flags.push('curity_templatized')
  // `implicit` is never claimed: the authorization endpoint answers only response_type=code.
  if (!policy.allowedAuthMethods.includes('none')) flags.splice(flags.indexOf('public_clients'), 1)
  if (config.pkce.requireForAllClients) flags.push('pkce_required')
  // Ignoring id_token_signed_response_alg, ID tokens are RS256 only (discovery says so too).
  if (policy.ignoredMembers?.includes('id_token_signed_response_alg'))
    flags.splice(flags.indexOf('alt_id_token_alg'), 1)
  // A plain OAuth 2.0 server (policy tokens.secretMethodsInterchangeable) is no OpenID Provider.
  if (config.tokens.secretMethodsInterchangeable) flags.splice(flags.indexOf('oidc'), 1)
  if (tls) flags.push('plain_http_probe')
  return flags
}

function staticClient(ctx: { now(): number }, config: StaticClientConfig, secret: string) {
  const {
    client_id,
    client_secret: _ignored,
    other_scope: _other,
    ...metadata
  } = config as StaticClientConfig & { other_scope?: string }
  return {
    client_id,
    client_secret: secret,
    client_secret_expires_at: 0,
    client_id_issued_at: ctx.now(),
    kind: 'static' as const,
    metadata: {
      token_endpoint_auth_method: 'client_secret_basic',
      response_types: ['code'],
      ...metadata,
    },
  }
}

function logLine(entry: Record<string, unknown>): void {
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), source: 'reference-server', ...entry })}\n`,
  )
}

/** Starts the reference server on loopback (random port unless given). */
export async function startReferenceServer(
  options: ReferenceServerOptions = {},
): Promise<ReferenceServer> {
  const config = resolveConfig(options.config)
  const faults = new FaultSet(options.faults ?? [])
  const keys = await serverKeys()
  const store = new MemoryStore()
  const host = options.host ?? '127.0.0.1'
  const envLog = process.env.DCR_REFERENCE_LOG
  const logLevel =
    envLog === 'errors' || envLog === 'requests' || envLog === 'off' ? envLog : config.log
  const ctx: ServerContext = {
    config,
    store,
    faults,
    keys,
    origin: '',
    endpoints: endpointsFor(''),
    now: () => Math.floor(Date.now() / 1000),
    log: logLevel === 'off' ? () => {} : logLine,
    logLevel,
  }

  const registrationSecret =
    config.registrationClient.client_secret ??
    process.env.DCR_REFERENCE_CLIENT_SECRET ??
    randomToken(24)
  await store.saveClient(staticClient(ctx, config.registrationClient, registrationSecret))
  const managers = config.managementClients.map((c) => ({
    config: c,
    secret: c.client_secret ?? randomToken(24),
  }))
  for (const m of managers) await store.saveClient(staticClient(ctx, m.config, m.secret))
  for (const c of config.clients)
    await store.saveClient(staticClient(ctx, c, c.client_secret ?? randomToken(24)))

  const { server, closeAllConnections } = createNodeServer(ctx, options.tls)
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
    capabilities: capabilitiesFor(config, options.tls !== undefined),
    store,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        closeAllConnections()
      })
      await store.close()
    },
  }
}
