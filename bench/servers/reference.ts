/**
 * The reference server with a reusable static initial access token (the same style of IAT that
 * oidc-provider gets), on loopback. Prints one JSON line when it listens.
 */
import { startReferenceServer } from '../../reference-server/index.ts'

const token = process.env.BENCH_IAT ?? 'bench-initial-access-token'
const server = await startReferenceServer({
  config: { registration: { staticInitialAccessToken: token } },
})
process.stdout.write(
  `${JSON.stringify({ name: 'reference-server', registration_endpoint: `${server.origin}/oauth/v2/oauth-dynamic-client-registration`, token })}\n`,
)
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)))
