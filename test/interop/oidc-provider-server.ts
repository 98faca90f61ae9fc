/**
 * node-oidc-provider 9 as a second, independent target: proves that the suite's verdicts are not
 * tuned to our own reference server (specificity: a failure must be a real deviation).
 *
 * The provider runs over HTTPS on 127.0.0.1 (random port) with the project's test certificate,
 * dynamic registration behind an initial access token, RFC 7592 management, PKCE, refresh tokens,
 * pairwise subjects, signed UserInfo and its development login pages (any login/password works).
 *
 * node-oidc-provider mints initial access tokens itself (`InitialAccessToken` model); Curity-style
 * deployments hand them out through the client-credentials grant with scope `dcr`. A small Koa
 * middleware bridges the two: a registration request carrying a client-credentials access token
 * with scope `dcr` has its Authorization header swapped for a freshly minted provider IAT.
 *
 * Usage: `node bin/run-ts.js test/interop/oidc-provider-server.ts` prints the issuer and the env
 * variables targets.yaml reads for the `oidc-provider` target, and serves until interrupted.
 */
import { randomBytes, createHash } from 'node:crypto'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exportJWK, generateKeyPair } from 'jose'
import { Provider } from 'oidc-provider'
import type { ClientView } from 'oidc-provider'
import { startLoopbackHttps } from './support/https-server.ts'
import type { InteropServerWithClients } from './support/interop-target.ts'
import { OTHER_SCOPE, REGISTRATION_CLIENT_ID, REGISTRATION_SCOPE } from './support/registration-client.ts'
import { serverWithClients } from './support/registration-client.ts'

/** The running server (issuer https://127.0.0.1:PORT) and what its targets.yaml entry reads. */
export type OidcProviderServer = InteropServerWithClients


/** Minimal Koa context surface the bridge middleware uses. */
interface BridgeContext {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  req: { headers: Record<string, string | string[] | undefined> }
}

async function signingKeys(): Promise<Record<string, unknown>[]> {
  const rsa = await generateKeyPair('RS256', { extractable: true })
  const ec = await generateKeyPair('ES256', { extractable: true })
  return [
    { ...(await exportJWK(rsa.privateKey)), kid: 'rs256-interop', use: 'sig', alg: 'RS256' },
    { ...(await exportJWK(ec.privateKey)), kid: 'es256-interop', use: 'sig', alg: 'ES256' },
  ]
}

/**
 * Start node-oidc-provider on 127.0.0.1 (random port) over HTTPS.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3
 */
export async function startOidcProviderServer(): Promise<OidcProviderServer> {
  const https = await startLoopbackHttps()
  const { server, origin } = https
  const issuer = origin
  const registrationSecret = randomBytes(24).toString('base64url')
  const pairwiseSalt = randomBytes(16).toString('hex')

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: REGISTRATION_CLIENT_ID,
        client_secret: registrationSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        scope: `${REGISTRATION_SCOPE} ${OTHER_SCOPE}`,
      },
    ],
    scopes: ['openid', 'offline_access', 'profile', 'email', REGISTRATION_SCOPE, OTHER_SCOPE],
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
    jwks: { keys: await signingKeys() },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    subjectTypes: ['public', 'pairwise'],
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'ES256'],
      userinfoSigningAlgValues: ['RS256', 'ES256'],
    },
    features: {
      devInteractions: { enabled: true },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      jwtUserinfo: { enabled: true },
      registration: { enabled: true, initialAccessToken: true },
      registrationManagement: { enabled: true, rotateRegistrationAccessToken: true },
    },
    // A deployment choice: a client registered for the refresh_token grant gets refresh tokens
    // without the offline_access scope, like the Curity-style reference server.
    issueRefreshToken: async (_ctx: unknown, client: ClientView) =>
      client.grantTypeAllowed('refresh_token'),
    pairwiseIdentifier: async (_ctx: unknown, accountId: string, client: ClientView) =>
      createHash('sha256')
        .update(`${client.sectorIdentifier ?? ''}|${accountId}|${pairwiseSalt}`)
        .digest('base64url'),
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, name: sub, email: `${sub}@interop.test`, email_verified: true }),
    }),
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 600,
      ClientCredentials: 600,
      IdToken: 3600,
      Interaction: 3600,
      Session: 3600,
      Grant: 3600,
      RefreshToken: 24 * 3600,
    },
  })

  provider.use(async (ctx: BridgeContext, next: () => Promise<unknown>) => {
    await bridgeInitialAccessToken(provider, ctx)
    await next()
  })

  server.on('request', provider.callback())

  return serverWithClients(https, {
    issuer,
    registrationSecret,
    user: { username: 'interop-user', password: 'any-password' },
    env: {
      OIDC_PROVIDER_ISSUER: issuer,
      OIDC_PROVIDER_DCR_SECRET: registrationSecret,
      OIDC_PROVIDER_USER: 'interop-user',
      OIDC_PROVIDER_PASSWORD: 'any-password',
    },
  })
}

/**
 * On `POST /reg`: when the bearer token is a client-credentials token with scope `dcr`, replace
 * it with a fresh provider initial access token. Anything else passes unchanged, so the
 * provider itself answers missing or invalid tokens (RFC 6750 errors).
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3
 */
async function bridgeInitialAccessToken(provider: Provider, ctx: BridgeContext): Promise<void> {
  if (ctx.method !== 'POST' || !ctx.path.endsWith('/reg')) return
  const header = ctx.headers.authorization
  if (typeof header !== 'string') return
  const match = /^Bearer\s+(\S+)$/i.exec(header)
  if (!match?.[1]) return
  const token = await provider.ClientCredentials.find(match[1])
  if (!token || token.isExpired) return
  const scopes = new Set(String(token.scope ?? '').split(' '))
  if (!scopes.has(REGISTRATION_SCOPE)) return
  const iat = await new provider.InitialAccessToken({ expiresIn: 600 }).save()
  ctx.req.headers.authorization = `Bearer ${iat}`
  ctx.headers.authorization = `Bearer ${iat}`
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const running = await startOidcProviderServer()
  for (const [name, value] of Object.entries(running.env)) console.log(`export ${name}=${value}`)
  console.log(`# issuer ${running.issuer}; Ctrl-C stops`)
}
