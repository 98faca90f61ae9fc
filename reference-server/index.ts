/**
 * The reference server: a spec-complete OAuth 2.0 / OpenID Connect authorization server with
 * dynamic client registration on Curity's URL layout, the built-in default target of
 * dcr-conformance. It knows nothing of the harness.
 */
import type { AddressInfo } from 'node:net'
import type { ReferenceServerOptions, RunningReferenceServer } from './api.ts'
import { DocumentCache } from './cimd/document-cache.ts'
import { guardedFetch } from './cimd/guarded-fetch.ts'
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
export type { ReferenceConfig } from './config.ts'

/** A running server with what tests need beyond the api.ts contract. */
export interface ReferenceServer extends RunningReferenceServer {
  /** The effective policy. */
  config: ReferenceConfig
  /** The state store (for tests that inspect state; handlers never bypass it). */
  store: Store
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

/** The handlers' context; its origin and endpoints are set once the port is known. */
async function serverContext(
  options: ReferenceServerOptions,
  config: ReferenceConfig,
): Promise<ServerContext> {
  const faults = new FaultSet(options.faults ?? [])
  const keys = await serverKeys()
  const envLog = process.env.DCR_REFERENCE_LOG
  const logLevel =
    envLog === 'errors' || envLog === 'requests' || envLog === 'off' ? envLog : config.log
  const ctx: ServerContext = {
    config,
    store: new MemoryStore(),
    faults,
    keys,
    origin: '',
    endpoints: endpointsFor(''),
    now: () => Math.floor(Date.now() / 1000),
    log: logLevel === 'off' ? () => {} : logLine,
    logLevel,
    cimd: new DocumentCache(),
    fetchSectorIdentifier: (url) => guardedFetch(ctx, url, 'sector'),
  }
  return ctx
}

/** The configured clients, stored with their secrets (random when the config gives none). */
async function seedStaticClients(ctx: ServerContext): Promise<{
  registrationSecret: string
  managers: { config: StaticClientConfig; secret: string }[]
}> {
  const { config, store } = ctx
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
  return { registrationSecret, managers }
}

/** Resolves once listening; a taken port or a bad host rejects. */
function listen(
  server: ReturnType<typeof createNodeServer>['server'],
  port: number,
  host: string,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

/** Starts the reference server on loopback (random port unless given). */
export async function startReferenceServer(
  options: ReferenceServerOptions = {},
): Promise<ReferenceServer> {
  const config = resolveConfig(options.config)
  const ctx = await serverContext(options, config)
  const { store, faults } = ctx
  const host = options.host ?? '127.0.0.1'
  const { registrationSecret, managers } = await seedStaticClients(ctx)

  const { server, closeAllConnections } = createNodeServer(ctx, options.tls)
  await listen(server, options.port ?? 0, host)
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
