/**
 * node-oidc-provider 9 with dynamic registration and a static initial access token, on loopback.
 * Prints one JSON line `{ "registration_endpoint", "token" }` when it listens.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider from 'oidc-provider'

const token = process.env.BENCH_IAT ?? 'bench-initial-access-token'
const server = http.createServer()
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const { port } = server.address() as AddressInfo
const issuer = `http://127.0.0.1:${port}`
const provider = new Provider(issuer, {
  features: {
    registration: { enabled: true, initialAccessToken: token },
    devInteractions: { enabled: false },
  },
  scopes: ['openid', 'profile', 'email', 'offline_access'],
})
server.on('request', provider.callback())
process.stdout.write(
  `${JSON.stringify({ name: 'node-oidc-provider 9', registration_endpoint: `${issuer}/reg`, token })}\n`,
)
process.on('SIGTERM', () => server.close(() => process.exit(0)))
