/**
 * The built-in `reference` target: the project's reference server started in-process over HTTPS
 * (fixtures/tls) on a random loopback port, trusted through fixtures/tls/ca.pem.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import * as reference from '../../reference-server/index.ts'
import type { RunningReferenceServer } from '../../reference-server/api.ts'
import type { TargetConfig } from '../types.ts'

const TLS_FOLDER = new URL('../../fixtures/tls/', import.meta.url)
/** The CA that signed the reference server's certificate. */
export const REFERENCE_CA_FILE = fileURLToPath(new URL('ca.pem', TLS_FOLDER))

export interface ReferenceTarget {
  target: TargetConfig
  server: RunningReferenceServer
  close(): Promise<void>
}

export async function startReferenceTarget(
  options: { faults?: string[]; config?: Record<string, unknown> } = {},
): Promise<ReferenceTarget> {
  const [cert, key] = await Promise.all([
    readFile(new URL('server.pem', TLS_FOLDER), 'utf8'),
    readFile(new URL('server-key.pem', TLS_FOLDER), 'utf8'),
  ])
  const server = await reference.startReferenceServer({
    host: '127.0.0.1',
    port: 0,
    tls: { cert, key },
    ...(options.faults?.length ? { faults: options.faults } : {}),
    ...(options.config ? { config: options.config } : {}),
  })
  const exported = reference as unknown as {
    referenceCapabilities?: string[] | ((server: RunningReferenceServer) => string[])
    referenceTestData?: (server: RunningReferenceServer) => Record<string, unknown>
  }
  // The instance knows its capabilities under its (possibly overridden) policy.
  const own = (server as { capabilities?: unknown }).capabilities
  const capabilities = Array.isArray(own)
    ? (own as string[])
    : typeof exported.referenceCapabilities === 'function'
      ? exported.referenceCapabilities(server)
      : (exported.referenceCapabilities ?? [])
  const target: TargetConfig = {
    name: 'reference',
    issuer: server.issuer,
    registration: {
      iat: {
        strategy: 'client_credentials',
        client_id: server.registrationClient.client_id,
        client_secret: server.registrationClient.client_secret,
        scope: server.registrationClient.scope,
        other_scope: server.registrationClient.other_scope,
      },
    },
    capabilities: [...capabilities],
    login: { username: server.user.username, password: server.user.password },
    tls: { ca: REFERENCE_CA_FILE },
    data: exported.referenceTestData?.(server) ?? {},
  }
  return { target, server, close: () => server.close() }
}
