/**
 * node-oidc-provider 9 with dynamic registration on loopback. BENCH_IAT_MODE=static (default):
 * its static initial access token setting; `one-time`: stored IATs, minted one per registration
 * by the side route `POST /bench-iat` (oidc-provider has no HTTP endpoint for it), so both servers
 * answer one extra request per registration on that path. Prints one JSON line when it listens.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider from 'oidc-provider'
import { answerMemoryRequests } from './control.ts'

const token = process.env.BENCH_IAT ?? 'bench-initial-access-token'
const oneTime = process.env.BENCH_IAT_MODE === 'one-time'
const server = http.createServer()
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const { port } = server.address() as AddressInfo
const issuer = `http://127.0.0.1:${port}`
const provider = new Provider(issuer, {
  features: {
    registration: { enabled: true, initialAccessToken: oneTime ? true : token },
    devInteractions: { enabled: false },
  },
  scopes: ['openid', 'profile', 'email', 'offline_access'],
})
const callback = provider.callback()
server.on('request', (req, res) => {
  if (oneTime && req.method === 'POST' && req.url === '/bench-iat') {
    void new provider.InitialAccessToken({}).save().then((value: string) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ access_token: value }))
    })
    return
  }
  callback(req, res)
})
const line = {
  name: 'node-oidc-provider 9',
  registration_endpoint: `${issuer}/reg`,
  token,
  ...(oneTime ? { iat: { url: `${issuer}/bench-iat` } } : {}),
}
process.stdout.write(`${JSON.stringify(line)}\n`)
answerMemoryRequests()
process.on('SIGTERM', () => server.close(() => process.exit(0)))
