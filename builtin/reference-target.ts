/**
 * The built-in `reference` target: the project's reference server started in-process over HTTPS
 * (fixtures/tls) on a random loopback port, trusted through fixtures/tls/ca.pem. This folder is
 * the glue between the engine (harness/, which knows no server) and the reference server (which
 * knows no engine): register.ts hands it to the engine.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startReferenceServer } from '../reference-server/index.ts'
import type { ReferenceServer } from '../reference-server/index.ts'
import type { TargetConfig } from '../harness/model/target.ts'
import { packagePath } from '../harness/package-root.ts'
import { startTrustedPublisher } from './cimd-publisher.ts'
import { capabilitiesFor } from './capabilities.ts'
import { referenceTestData } from './reference-data.ts'

const TLS_FOLDER = packagePath('fixtures', 'tls')
/** The CA that signed the reference server's certificate. */
export const REFERENCE_CA_FILE = join(TLS_FOLDER, 'ca.pem')

export interface ReferenceTarget {
  target: TargetConfig
  server: ReferenceServer
  close(): Promise<void>
}

/**
 * Starts the reference server. `plainHttp` serves it over cleartext http and declares the
 * `plain_http` capability, as a local development deployment would be described.
 */
export async function startReferenceTarget(
  options: { faults?: string[]; config?: Record<string, unknown>; plainHttp?: boolean } = {},
): Promise<ReferenceTarget> {
  const [cert, key] = await Promise.all([
    readFile(join(TLS_FOLDER, 'server.pem'), 'utf8'),
    readFile(join(TLS_FOLDER, 'server-key.pem'), 'utf8'),
  ])
  const cimd = await startTrustedPublisher({ cert, key }, REFERENCE_CA_FILE, options.config)
  const server = await startReferenceServer({
    host: '127.0.0.1',
    port: 0,
    ...(options.plainHttp ? {} : { tls: { cert, key } }),
    ...(options.faults?.length ? { faults: options.faults } : {}),
    config: cimd.config,
  }).catch(async (error: unknown) => {
    await cimd.publisher.close()
    throw error
  })
  // The capabilities under the instance's (possibly overridden) policy, in the suite's names.
  const capabilities = capabilitiesFor(server.config, !options.plainHttp)
  const data = referenceTestData(server)
  const target: TargetConfig = {
    name: 'reference',
    issuer: server.issuer,
    // The reference server also plays the MCP server (reference-server/mcp/).
    mcp_server: data.mcp_server,
    registration: {
      // Under an open-registration policy (a config override) no IAT is sent.
      iat: capabilities.includes('iat_required')
        ? {
            strategy: 'client_credentials',
            client_id: server.registrationClient.client_id,
            client_secret: server.registrationClient.client_secret,
            scope: server.registrationClient.scope,
            other_scope: server.registrationClient.other_scope,
          }
        : { strategy: 'none' },
    },
    capabilities: [...capabilities, ...(options.plainHttp ? ['plain_http'] : [])],
    login: { username: server.user.username, password: server.user.password },
    ...(options.plainHttp ? {} : { tls: { ca: REFERENCE_CA_FILE } }),
    data,
  }
  return {
    target: { ...target, cimd: { public_base_url: cimd.publisher.baseUrl } },
    server,
    close: async () => {
      await server.close()
      await cimd.publisher.close()
    },
  }
}
