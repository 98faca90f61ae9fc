/**
 * An HTTPS server for an interop target on 127.0.0.1 and a random port, with the test
 * certificate of fixtures/tls (trusted through fixtures/tls/ca.pem), so every interop server
 * listens the same way and closes without leftover connections.
 */
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'

/** The folder of the test CA and server certificate. */
export const TLS_DIR = fileURLToPath(new URL('../../../fixtures/tls/', import.meta.url))

export interface LoopbackHttpsServer {
  server: Server
  port: number
  /** `https://127.0.0.1:PORT` */
  origin: string
  /** The CA file a target trusts for this server. */
  caFile: string
  close(): Promise<void>
}

/** Starts an HTTPS server (no request handler yet) on 127.0.0.1 and a random port. */
export async function startLoopbackHttps(): Promise<LoopbackHttpsServer> {
  const [cert, key] = await Promise.all([
    readFile(`${TLS_DIR}server.pem`, 'utf8'),
    readFile(`${TLS_DIR}server-key.pem`, 'utf8'),
  ])
  const server = createServer({ cert, key })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    server,
    port,
    origin: `https://127.0.0.1:${port}`,
    caFile: `${TLS_DIR}ca.pem`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
