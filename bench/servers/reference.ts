/**
 * The reference server on loopback with a reusable static initial access token (the same style of
 * IAT that oidc-provider gets). BENCH_IAT_MODE=one-time also says how to get a one-time IAT
 * (client credentials, scope `dcr`). Prints one JSON line when it listens.
 */
import { startReferenceServer } from '../../reference-server/index.ts'
import { answerMemoryRequests } from './control.ts'

const token = process.env.BENCH_IAT ?? 'bench-initial-access-token'
const server = await startReferenceServer({
  config: { registration: { staticInitialAccessToken: token } },
})
const client = server.registrationClient
const basic = Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')
const iat = {
  url: `${server.origin}/oauth/v2/oauth-token`,
  headers: {
    authorization: `Basic ${basic}`,
    'content-type': 'application/x-www-form-urlencoded',
  },
  body: `grant_type=client_credentials&scope=${client.scope}`,
}
const line = {
  name: 'reference-server',
  registration_endpoint: `${server.origin}/oauth/v2/oauth-dynamic-client-registration`,
  token,
  ...(process.env.BENCH_IAT_MODE === 'one-time' ? { iat } : {}),
}
process.stdout.write(`${JSON.stringify(line)}\n`)
answerMemoryRequests()
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)))
