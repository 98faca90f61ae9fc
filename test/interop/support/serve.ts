/**
 * One interop server as a child process of the `command` target provider
 * (harness/providers/command.ts), as the `provider:` of its targets.yaml entry starts it:
 * `node --import tsx test/interop/support/serve.ts NAME`, NAME one of oidc-provider, mcp-sdk,
 * better-auth, cloudflare, lemonldap, glewlwyd.
 * It prints the ready line (issuer, and the variables the entry reads), then runs until SIGTERM
 * or SIGINT, when it closes the server and exits.
 */
import type { InteropServer } from './interop-target.ts'

const servers: Record<string, () => Promise<InteropServer>> = {
  'oidc-provider': async () => (await import('../oidc-provider-server.ts')).startOidcProviderServer(),
  'mcp-sdk': async () => (await import('../mcp-sdk-server.ts')).startMcpSdkServer(),
  'better-auth': async () => (await import('../better-auth-server.ts')).startBetterAuthServer(),
  cloudflare: async () => (await import('../cloudflare-server.ts')).startCloudflareServer(),
  lemonldap: async () => (await import('../lemonldap-server.ts')).startLemonLdapServer(),
  glewlwyd: async () => (await import('../glewlwyd-server.ts')).startGlewlwydServer(),
}

const name = process.argv[2] ?? ''
const start = servers[name]
if (!start) {
  process.stderr.write(`usage: serve.ts ${Object.keys(servers).join('|')}\n`)
  process.exit(2)
}
// The signals are heard from the start: one that comes while the server is still starting
// closes it as soon as it is up (else its own children, e.g. glewlwyd, would outlive us).
let server: InteropServer | undefined
let stopping = false
const stop = async (): Promise<void> => {
  stopping = true
  const started = server
  if (!started) return // still starting: closed as soon as it is up, below
  server = undefined
  await started.close()
  process.exit(0)
}
process.once('SIGTERM', () => void stop())
process.once('SIGINT', () => void stop())
server = await start()
if (stopping) await stop()
process.stdout.write(`${JSON.stringify({ issuer: server.issuer, env: server.env })}\n`)
