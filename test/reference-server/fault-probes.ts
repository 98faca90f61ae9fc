/**
 * One probe per fault: a short interaction whose observation differs between the clean server
 * and the server running that fault. Observations are plain data (no random values).
 */
import {
  decodeJwt,
  decodeProtectedHeader,
  SignJWT,
  importJWK,
  exportJWK,
  generateKeyPair,
} from 'jose'
import type { JWK } from 'jose'
import { readFileSync } from 'node:fs'
import { Agent } from 'undici'
import type { ReferenceServer } from '../../reference-server/index.ts'
import { atHash } from '../../reference-server/tokens/id-token.ts'
import {
  authorize,
  basic,
  codeFor,
  ep,
  fetch,
  iat,
  redeem,
  register,
  registered,
  registerRaw,
  send,
  tokenRequest,
  webClient,
} from './helpers.ts'
import type { Json } from './helpers.ts'
import { mcpProbes } from './mcp-probes.ts'
import { cimdProbes, sectorIdentifierProbe } from './cimd/probes.ts'

export interface Probe {
  /** Policy overrides for both servers (clean and faulted). */
  config?: Record<string, unknown>
  /** Serve both over HTTPS with the fixture certificate. */
  tls?: boolean
  run(s: ReferenceServer): Promise<unknown>
}

const status = async (p: Promise<{ status: number }>) => (await p).status
const regStatus = (md: Json) => (s: ReferenceServer) => status(register(s, md))
/** A dynamic client_credentials client's token request with its Basic credentials: its status. */
const basicClientCredentials = async (s: ReferenceServer) => {
  const c = await registered(s, ccClient)
  return status(
    tokenRequest(
      s,
      { grant_type: 'client_credentials' },
      { authorization: basic(c.client_id, c.client_secret) },
    ),
  )
}
const withWeb = (extra: Json) => ({ ...webClient, ...extra })
/** A browser's CORS preflight for a JSON registration with an initial access token. */
const registrationPreflight = (s: ReferenceServer) =>
  send(ep(s).register, {
    method: 'OPTIONS',
    headers: {
      origin: 'https://spa.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type, authorization',
    },
  })
const ccClient = { grant_types: ['client_credentials'], scope: 'read' }

function key(name: string): JWK {
  return JSON.parse(
    readFileSync(new URL(`../../fixtures/keys/${name}`, import.meta.url), 'utf8'),
  ) as JWK
}

/** A web client's metadata (`extra` among it) with a software statement signed by `keyFile`. */
async function withStatement(keyFile: string, claims: Json, extra: Json = {}): Promise<Json> {
  return withWeb({ ...extra, software_statement: await statement(keyFile, claims) })
}

async function statement(keyFile: string, claims: Json, header: Json = {}): Promise<string> {
  const jwk = key(keyFile)
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid!, ...header })
    .setIssuer('https://ssa-issuer.test')
    .setIssuedAt()
    .sign(await importJWK(jwk, 'ES256'))
}

/** Registers, logs in, redeems: the whole code flow. */
async function flow(
  s: ReferenceServer,
  metadata: Json = webClient,
  extra: Record<string, string | undefined> = {},
) {
  const client = await registered(s, metadata)
  const { code, verifier, redirectUri } = await codeFor(s, client, extra)
  const tokens = await redeem(s, client, code, verifier, redirectUri)
  const id = tokens.body.id_token as string | undefined
  return {
    client,
    code,
    verifier,
    redirectUri,
    tokens,
    idClaims: id ? decodeJwt(id) : undefined,
    idHeader: id ? decodeProtectedHeader(id) : undefined,
  }
}

/** A bodiless request to the client's configuration endpoint with its token (RFC 7592 §2). */
const rcuCall = (client: Json, method: string, token = client.registration_access_token) =>
  send(client.registration_client_uri, { method, headers: { authorization: `Bearer ${token}` } })

const rcuGet = (client: Json, token?: string) => rcuCall(client, 'GET', token)

const put = (client: Json, body: Json, token = client.registration_access_token) =>
  send(client.registration_client_uri, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

async function managerToken(s: ReferenceServer): Promise<string> {
  const r = await tokenRequest(
    s,
    { grant_type: 'client_credentials', scope: 'dcrm' },
    { authorization: basic(s.managementClient.client_id, s.managementClient.client_secret) },
  )
  return r.body.access_token
}

/** The status of an authorization request without a challenge, from a client that must use PKCE. */
async function noChallengeStatus(s: ReferenceServer): Promise<number> {
  const client = await registered(s, withWeb({ require_proof_key: true }))
  const params = { code_challenge: undefined, code_challenge_method: undefined }
  return (await authorizeError(s, client, params)).status
}

function authorizeError(s: ReferenceServer, client: Json, params: Json) {
  return authorize(
    s,
    {
      client_id: client.client_id,
      redirect_uri: client.redirect_uris[0],
      response_type: 'code',
      scope: 'openid',
      state: 'S1',
      code_challenge: 'a'.repeat(43),
      code_challenge_method: 'S256',
      ...params,
    },
    { login: false },
  )
}

/** The authorization status for `redirectUri` of a native client registered `http://127.0.0.1/cb`. */
async function nativeLoopbackAuthorizeStatus(s: ReferenceServer, redirectUri: string) {
  const native = { application_type: 'native', redirect_uris: ['http://127.0.0.1/cb'] }
  const client = await registered(s, { ...native, scope: 'openid' })
  return (await authorizeError(s, client, { redirect_uri: redirectUri })).status
}

/**
 * The answer to an unknown response type for a client whose redirect URI has a query: an error
 * redirect there, which keeps the query too.
 */
async function queryRedirectAuthorize(s: ReferenceServer) {
  const redirectUri = 'https://localhost/cb?t=1'
  const client = await registered(s, withWeb({ redirect_uris: [redirectUri] }))
  const params = { client_id: client.client_id, redirect_uri: redirectUri, response_type: 'x' }
  return authorize(s, params, { login: false })
}

/** The challenge to a registration sent without any token. */
async function tokenlessChallenge(s: ReferenceServer) {
  return (await registerRaw(s, webClient)).headers.get('www-authenticate')
}

export const probes: Record<string, Probe> = {
  ...mcpProbes,
  ...cimdProbes,
  // Discovery
  'discovery-issuer-mismatch': {
    run: async (s) => (await send(ep(s).discovery)).body.issuer === s.issuer,
  },
  'discovery-no-registration-endpoint': {
    run: async (s) => 'registration_endpoint' in (await send(ep(s).discovery)).body,
  },
  'rfc8414-missing': { run: (s) => status(send(ep(s).rfc8414)) },
  'metadata-response-types-missing': {
    run: async (s) => (await send(ep(s).rfc8414)).body.response_types_supported,
  },
  'jwks-private-key-leak': {
    run: async (s) => (await send(ep(s).jwks)).body.keys.some((k: Json) => 'd' in k),
  },
  'no-code-challenge-methods': {
    run: async (s) => (await send(ep(s).discovery)).body.code_challenge_methods_supported ?? null,
  },
  // IAT
  'iat-reusable': {
    run: async (s) => {
      const t = await iat(s)
      await registerRaw(s, webClient, t)
      return status(registerRaw(s, webClient, t))
    },
  },
  'iat-race': {
    run: async (s) => {
      const t = await iat(s)
      const statuses = await Promise.all(
        Array.from({ length: 10 }, () => status(registerRaw(s, webClient, t))),
      )
      return statuses.filter((x) => x === 201).length > 1
    },
  },
  'iat-never-accepted': { run: async (s) => status(registerRaw(s, webClient, await iat(s))) },
  'iat-scope-ignored': {
    run: async (s) => status(registerRaw(s, webClient, await iat(s, 'read'))),
  },
  'insufficient-scope-no-challenge': {
    run: async (s) =>
      (await registerRaw(s, webClient, await iat(s, 'read'))).headers.get('www-authenticate'),
  },
  'missing-token-error-code': { run: (s) => tokenlessChallenge(s) },
  'iat-missing-no-challenge': { run: (s) => tokenlessChallenge(s) },
  'iat-invalid-wrong-error': { run: (s) => status(registerRaw(s, webClient, 'bogus-token')) },
  'iat-in-query-accepted': {
    run: async (s) =>
      status(
        send(`${ep(s).register}?access_token=${await iat(s)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await iat(s)}` },
          body: JSON.stringify(webClient),
        }),
      ),
  },
  'consume-iat-on-failure-off': {
    run: async (s) => {
      const t = await iat(s)
      await registerRaw(s, { redirect_uris: ['https://localhost/cb#x'] }, t)
      return status(registerRaw(s, webClient, t))
    },
  },
  // Request handling
  'crash-on-bad-json': {
    run: async (s) => status(registerRaw(s, '{"redirect_uris": [', await iat(s))),
  },
  '5xx-on-wrong-types': { run: regStatus({ redirect_uris: 'https://localhost/cb' }) },
  'scope-array-echoed': {
    run: async (s) => (await register(s, withWeb({ scope: ['openid'] }))).body?.scope ?? null,
  },
  'content-type-ignored': {
    run: async (s) =>
      status(registerRaw(s, webClient, await iat(s), { 'content-type': 'text/plain' })),
  },
  'unknown-member-rejected': { run: regStatus(withWeb({ harness_ext_param: 'x' })) },
  'language-tags-rejected': { run: regStatus(withWeb({ 'client_name#ja-Jpan-JP': 'ハーネス' })) },
  // Registration response
  'registration-200': { run: regStatus(webClient) },
  'no-secret-expiry': { run: async (s) => 'client_secret_expires_at' in (await registered(s)) },
  'secret-expiry-ms': { run: async (s) => (await registered(s)).client_id_issued_at < 1e11 },
  'secret-expiry-string': {
    run: async (s) => typeof (await registered(s)).client_secret_expires_at,
  },
  'no-echo': { run: async (s) => 'redirect_uris' in (await registered(s)) },
  'no-no-store': { run: async (s) => (await register(s, webClient)).headers.get('cache-control') },
  'secret-shared': {
    run: async (s) => (await registered(s)).client_secret === (await registered(s)).client_secret,
  },
  'client-id-chosen': {
    run: async (s) =>
      (await registered(s, withWeb({ client_id: 'harness-chosen-id' }))).client_id ===
      'harness-chosen-id',
  },
  'server-members-adopted': {
    run: async (s) =>
      (await registered(s, withWeb({ client_secret: 'harness-secret' }))).client_secret ===
      'harness-secret',
  },
  'rat-missing': { run: async (s) => 'registration_access_token' in (await registered(s)) },
  'rcu-wrong-client': {
    run: async (s) => {
      const c = await registered(s)
      return c.registration_client_uri.endsWith(`/${c.client_id}`)
    },
  },
  'redirect-uris-dropped': {
    run: async (s) => (await registered(s)).redirect_uris,
  },
  'redirect-rewritten': {
    run: async (s) =>
      (await registered(s, withWeb({ redirect_uris: ['https://localhost/cb?x=1'] }))).redirect_uris,
  },
  'default-auth-method-post': {
    run: async (s) => (await registered(s)).token_endpoint_auth_method,
  },
  'auth-method-unstated-post': {
    run: async (s) => {
      const c = await registered(s)
      const post = await tokenRequest(s, {
        grant_type: 'authorization_code',
        code: 'harness-bogus-code',
        redirect_uri: webClient.redirect_uris[0]!,
        client_id: c.client_id,
        client_secret: c.client_secret,
      })
      return [c.token_endpoint_auth_method ?? 'absent', post.status]
    },
  },
  'refresh-ttl-ignored': {
    run: async (s) => (await registered(s, withWeb({ refresh_token_ttl: 0 }))).grant_types,
  },
  'access-token-ttl-ignored': {
    run: async (s) => {
      const c = await registered(s, { ...ccClient, access_token_ttl: 120 })
      return (
        await tokenRequest(
          s,
          { grant_type: 'client_credentials' },
          { authorization: basic(c.client_id, c.client_secret) },
        )
      ).body.expires_in
    },
  },
  'no-default-acr': { run: async (s) => 'default_acr_values' in (await registered(s)) },
  // Validation
  'fragment-redirect-accepted': {
    run: regStatus({ redirect_uris: ['https://localhost/cb#frag'] }),
  },
  'relative-redirect-accepted': { run: regStatus({ redirect_uris: ['/cb'] }) },
  'redirect-javascript-accepted': { run: regStatus({ redirect_uris: ['javascript:alert(1)'] }) },
  'redirect-http-accepted': { run: regStatus({ redirect_uris: ['http://rp.example.com/cb'] }) },
  'redirect-uris-first-only': {
    run: regStatus({ redirect_uris: ['https://rp.example.com/cb', 'https://rp.example.com/cb#frag'] }),
  },
  'native-redirect-unchecked': {
    run: regStatus({ application_type: 'native', redirect_uris: ['http://rp.example.com/cb'] }),
  },
  'redirect-uris-not-required': { run: regStatus({ scope: 'openid' }) },
  'grant-response-mismatch-accepted': {
    run: regStatus(
      withWeb({ grant_types: ['authorization_code'], response_types: ['code', 'token'] }),
    ),
  },
  'unknown-auth-method-accepted': {
    run: regStatus(withWeb({ token_endpoint_auth_method: 'harness_unknown' })),
  },
  'password-grant-accepted': {
    run: regStatus(withWeb({ grant_types: ['authorization_code', 'password'] })),
  },
  'jwks-and-jwks-uri-accepted': {
    run: async (s) => {
      const { publicKey } = await generateKeyPair('ES256')
      return status(
        register(
          s,
          withWeb({
            jwks: { keys: [await exportJWK(publicKey)] },
            jwks_uri: 'https://localhost/jwks',
          }),
        ),
      )
    },
  },
  'jwks-private-accepted': {
    run: regStatus(withWeb({ jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } })),
  },
  'jwks-malformed-accepted': {
    run: regStatus(withWeb({ token_endpoint_auth_method: 'private_key_jwt', jwks: { keys: 'x' } })),
  },
  'secret-for-private-key-jwt': {
    run: async (s) => {
      const { publicKey } = await generateKeyPair('ES256')
      const jwks = { keys: [await exportJWK(publicKey)] }
      const c = await registered(s, withWeb({ token_endpoint_auth_method: 'private_key_jwt', jwks }))
      return 'client_secret' in c
    },
  },
  'secret-for-none': {
    run: async (s) =>
      'client_secret' in (await registered(s, withWeb({ token_endpoint_auth_method: 'none' }))),
  },
  'none-ignored': {
    run: async (s) => {
      const c = await registered(s, withWeb({ token_endpoint_auth_method: 'none' }))
      const { code, verifier, redirectUri } = await codeFor(s, c)
      return status(
        tokenRequest(s, {
          grant_type: 'authorization_code',
          code,
          code_verifier: verifier,
          redirect_uri: redirectUri,
          client_id: c.client_id,
        }),
      )
    },
  },
  'none-with-client-credentials': {
    run: regStatus({ ...ccClient, token_endpoint_auth_method: 'none' }),
  },
  'unknown-scope-granted': { run: regStatus(withWeb({ scope: 'openid harness-unknown-scope' })) },
  'scope-widened': { run: async (s) => (await registered(s, withWeb({ scope: 'openid' }))).scope },
  'default-scope-unusable': {
    run: async (s) => (await registered(s, { redirect_uris: ['https://localhost/callback'] })).scope,
  },
  'privileged-scope-accepted': { run: regStatus(withWeb({ scope: 'openid admin' })) },
  'client-uri-javascript-accepted': {
    run: regStatus(withWeb({ logo_uri: 'javascript:alert(1)' })),
  },
  'client-uri-host-unchecked': {
    run: regStatus(withWeb({ client_uri: 'https://other.example.com/' })),
  },
  'https-metadata-unchecked': {
    run: regStatus(withWeb({ initiate_login_uri: 'http://rp.example.com/login' })),
  },
  'alg-unsupported-accepted': {
    run: regStatus(withWeb({ id_token_signed_response_alg: 'HS999' })),
  },
  'enc-without-alg-accepted': {
    run: regStatus(withWeb({ id_token_encrypted_response_enc: 'A128CBC-HS256' })),
  },
  'subject-type-unchecked': { run: regStatus(withWeb({ subject_type: 'harness' })) },
  'acr-unchecked': {
    run: regStatus(
      withWeb({ default_acr_values: ['urn:se:curity:authentication:harness:unknown'] }),
    ),
  },
  'implicit-accepted': {
    run: regStatus({
      redirect_uris: ['https://rp.example.com/cb'],
      grant_types: ['implicit'],
      response_types: ['id_token'],
      scope: 'openid',
    }),
  },
  // Errors
  'wrong-error-code': {
    run: async (s) => (await register(s, { redirect_uris: ['https://localhost/cb#f'] })).body.error,
  },
  'error-200': { run: regStatus({ redirect_uris: ['https://localhost/cb#f'] }) },
  'error-html': {
    run: async (s) =>
      (await register(s, { redirect_uris: ['https://localhost/cb#f'] })).headers.get(
        'content-type',
      ),
  },
  'error-description-non-ascii': {
    run: async (s) =>
      /^[\x20-\x7e]*$/.test(
        (await register(s, { redirect_uris: ['https://localhost/cb#f'] })).body.error_description,
      ),
  },
  // Software statements
  'ssa-signature-ignored': {
    run: async (s) => {
      const jwt = await statement('ssa-trusted.private.jwk.json', { client_name: 'SSA' })
      const [h, , sig] = jwt.split('.')
      const tampered = `${h}.${Buffer.from(JSON.stringify({ iss: 'https://ssa-issuer.test', client_name: 'Evil' })).toString('base64url')}.${sig}`
      return status(register(s, withWeb({ software_statement: tampered })))
    },
  },
  'ssa-alg-none-accepted': {
    run: async (s) => {
      const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"iss":"https://ssa-issuer.test","client_name":"X"}').toString('base64url')}.`
      return status(register(s, withWeb({ software_statement: unsigned })))
    },
  },
  'ssa-untrusted-accepted': {
    run: async (s) => {
      const metadata = await withStatement('ssa-untrusted.private.jwk.json', { client_name: 'X' })
      return status(register(s, metadata))
    },
  },
  'ssa-expired-accepted': {
    run: async (s) => {
      const exp = Math.floor(Date.now() / 1000) - 3600
      const claims = { client_name: 'X', exp }
      const metadata = await withStatement('ssa-trusted.private.jwk.json', claims)
      return status(register(s, metadata))
    },
  },
  'ssa-claims-not-precedent': {
    run: async (s) => {
      const claims = { client_name: 'SSA' }
      const metadata = await withStatement('ssa-trusted.private.jwk.json', claims, {
        client_name: 'Body',
      })
      return (await registered(s, metadata)).client_name
    },
  },
  'ssa-not-echoed': {
    run: async (s) => {
      const metadata = await withStatement('ssa-trusted.private.jwk.json', { client_name: 'SSA' })
      return 'software_statement' in (await registered(s, metadata))
    },
  },
  // Templates
  'template-unknown-accepted': {
    run: regStatus({ software_id: 'harness-unknown-template' }),
  },
  'template-id-reused': {
    run: async (s) =>
      (await registered(s, { software_id: s.templateSoftwareId })).client_id ===
      s.templateSoftwareId,
  },
  // Management
  'rat-not-required': {
    run: async (s) => status(send((await registered(s)).registration_client_uri)),
  },
  'foreign-rat-accepted': {
    run: async (s) => {
      const a = await registered(s)
      const b = await registered(s)
      return status(rcuGet(b, a.registration_access_token))
    },
  },
  'config-404-unknown': {
    run: async (s) =>
      status(
        send(`${ep(s).register}/no-such-client`, {
          headers: { authorization: `Bearer ${await managerToken(s)}` },
        }),
      ),
  },
  'config-refusal-no-challenge': {
    run: async (s) => {
      const [a, b] = [await registered(s), await registered(s)]
      return (await rcuGet(b, a.registration_access_token)).headers.get('www-authenticate')
    },
  },
  'access-token-as-rat': {
    run: async (s) => {
      const c = await registered(s)
      return status(rcuGet(c, await iat(s)))
    },
  },
  'put-merges': {
    run: async (s) => {
      const c = await registered(s, withWeb({ contacts: ['a@example.com'] }))
      return (
        'contacts' in
        (await put(c, { client_id: c.client_id, redirect_uris: c.redirect_uris, scope: c.scope }))
          .body
      )
    },
  },
  'put-adopts-secret': {
    run: async (s) => {
      const c = await registered(s)
      return status(
        put(c, { ...webClient, client_id: c.client_id, client_secret: 'harness-chosen' }),
      )
    },
  },
  'put-client-id-unchecked': { run: async (s) => status(put(await registered(s), webClient)) },
  'put-invalid-accepted': {
    run: async (s) => {
      const c = await registered(s)
      return status(put(c, { client_id: c.client_id, redirect_uris: ['http://rp.example.com/cb'] }))
    },
  },
  'delete-200-or-keeps': {
    run: async (s) => {
      const c = await registered(s)
      return status(rcuCall(c, 'DELETE'))
    },
  },
  'deleted-client-authenticates': {
    // A client credentials grant with the deleted client's secret: 401 clean, 200 under the fault.
    run: async (s) => {
      const c = await registered(s, ccClient)
      await rcuCall(c, 'DELETE')
      const r = await tokenRequest(
        s,
        { grant_type: 'client_credentials' },
        { authorization: basic(c.client_id, c.client_secret) },
      )
      return r.status
    },
  },
  'delete-keeps-tokens': {
    run: async (s) => {
      const c = await registered(s, ccClient)
      const at = (
        await tokenRequest(
          s,
          { grant_type: 'client_credentials' },
          { authorization: basic(c.client_id, c.client_secret) },
        )
      ).body.access_token
      await rcuCall(c, 'DELETE')
      const r = await send(ep(s).introspect, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(s.registrationClient.client_id, s.registrationClient.client_secret),
        },
        body: new URLSearchParams({ token: at }).toString(),
      })
      return r.body.active
    },
  },
  'rotation-old-still-valid': {
    run: async (s) => {
      const c = await registered(s)
      await rcuGet(c)
      return status(rcuGet(c))
    },
  },
  'dcrm-ignored': { run: async (s) => status(rcuGet(await registered(s), await managerToken(s))) },
  'config-patch-accepted': {
    run: async (s) => {
      const c = await registered(s)
      return status(rcuCall(c, 'PATCH'))
    },
  },
  // Authorization endpoint
  'redirect-mismatch-redirects': {
    run: async (s) =>
      (
        await authorizeError(s, await registered(s), {
          redirect_uri: 'https://attacker.example/cb',
        })
      ).status,
  },
  'redirect-query-dropped': {
    run: async (s) => (await queryRedirectAuthorize(s)).query?.get('t'),
  },
  'redirect-query-unmatched': {
    run: async (s) => (await queryRedirectAuthorize(s)).status,
  },
  'redirect-prefix-match': {
    run: async (s) =>
      (
        await authorizeError(s, await registered(s), {
          redirect_uri: 'https://localhost/callback/extra',
        })
      ).status,
  },
  'loopback-port-strict': {
    run: async (s) => nativeLoopbackAuthorizeStatus(s, 'http://127.0.0.1:53127/cb'),
  },
  'loopback-url-normalised': {
    run: async (s) => nativeLoopbackAuthorizeStatus(s, 'http://127.1:53127/cb'),
  },
  'loopback-any-path': {
    run: async (s) => nativeLoopbackAuthorizeStatus(s, 'http://127.0.0.1:53127/cb/other'),
  },
  'missing-redirect-uri-defaults': {
    run: async (s) =>
      (
        await authorizeError(
          s,
          await registered(
            s,
            withWeb({
              redirect_uris: ['https://localhost/a', 'https://localhost/b'],
              scope: 'profile',
            }),
          ),
          { redirect_uri: undefined, scope: 'profile' },
        )
      ).status,
  },
  'response-type-unchecked': {
    run: async (s) =>
      (await authorizeError(s, await registered(s), { response_type: 'token' })).query?.get(
        'error',
      ) ?? null,
  },
  'state-dropped': {
    run: async (s) =>
      (await authorizeError(s, await registered(s), { scope: 'openid admin' })).query?.get(
        'state',
      ) ?? null,
  },
  'iss-missing': {
    run: async (s) =>
      (await authorizeError(s, await registered(s), { scope: 'openid admin' })).query?.get(
        'iss',
      ) === s.issuer,
  },
  'pkce-not-required': { run: (s) => noChallengeStatus(s) },
  // Both faults let a client that must use PKCE get a code without a challenge (an error
  // redirect clean); they differ at the token endpoint.
  'pkce-required-only-at-token': { run: (s) => noChallengeStatus(s) },
  'pkce-plain-accepted': {
    run: async (s) =>
      (await authorizeError(s, await registered(s), { code_challenge_method: 'plain' })).status,
  },
  'pkce-absent-method-plain': {
    // A challenge without a method: an error redirect clean, a redirect with a code under the fault.
    run: async (s) => {
      const c = await registered(s)
      const query = {
        client_id: c.client_id,
        redirect_uri: c.redirect_uris[0],
        response_type: 'code',
        scope: 'openid',
        state: 'S1',
        code_challenge: 'a'.repeat(43),
      }
      return (await authorize(s, query, { login: false })).status
    },
  },
  'framing-allowed': {
    run: async (s) => {
      const c = await registered(s)
      return (
        await send(
          `${ep(s).authorize}?${new URLSearchParams({ client_id: c.client_id, redirect_uri: c.redirect_uris[0], response_type: 'code', scope: 'openid', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' })}`,
        )
      ).headers.get('x-frame-options')
    },
  },
  'login-307': { run: async (s) => (await codeFor(s, await registered(s))).result.status },
  'authorize-cors': {
    run: async (s) => {
      const c = await registered(s)
      return (await send(`${ep(s).authorize}?client_id=${c.client_id}`)).headers.get(
        'access-control-allow-origin',
      )
    },
  },
  // Token endpoint
  'code-reusable': {
    run: async (s) => {
      const f = await flow(s)
      return status(redeem(s, f.client, f.code, f.verifier, f.redirectUri))
    },
  },
  'code-replay-no-revoke': {
    run: async (s) => {
      const f = await flow(s)
      await redeem(s, f.client, f.code, f.verifier, f.redirectUri)
      return status(
        send(ep(s).userinfo, {
          headers: { authorization: `Bearer ${f.tokens.body.access_token}` },
        }),
      )
    },
  },
  'code-not-bound-to-client': {
    run: async (s) => {
      const a = await registered(s)
      const b = await registered(s)
      const { code, verifier, redirectUri } = await codeFor(s, a)
      return status(redeem(s, b, code, verifier, redirectUri))
    },
  },
  'code-redirect-uri-unchecked': {
    run: async (s) => {
      const c = await registered(
        s,
        withWeb({ redirect_uris: ['https://localhost/a', 'https://localhost/b'] }),
      )
      const { code, verifier } = await codeFor(s, c)
      return status(redeem(s, c, code, verifier, 'https://localhost/b'))
    },
  },
  'pkce-ignored': {
    run: async (s) => {
      const c = await registered(s)
      const { code, redirectUri } = await codeFor(s, c)
      return status(redeem(s, c, code, undefined, redirectUri))
    },
  },
  'pkce-downgrade': {
    run: async (s) => {
      const c = await registered(s)
      const { code, redirectUri } = await codeFor(s, c, {
        code_challenge: undefined,
        code_challenge_method: undefined,
      })
      return status(redeem(s, c, code, 'v'.repeat(43), redirectUri))
    },
  },
  'auth-method-not-enforced': {
    run: async (s) => {
      const c = await registered(s, ccClient)
      return status(
        tokenRequest(s, {
          grant_type: 'client_credentials',
          client_id: c.client_id,
          client_secret: c.client_secret,
        }),
      )
    },
  },
  'two-auth-methods-accepted': {
    run: async (s) => {
      const c = await registered(s, ccClient)
      return status(
        tokenRequest(
          s,
          { grant_type: 'client_credentials', client_secret: c.client_secret },
          { authorization: basic(c.client_id, c.client_secret) },
        ),
      )
    },
  },
  'confidential-no-auth': {
    run: async (s) => {
      const c = await registered(s, ccClient)
      return status(tokenRequest(s, { grant_type: 'client_credentials', client_id: c.client_id }))
    },
  },
  'basic-no-www-authenticate': {
    run: async (s) => {
      const c = await registered(s, ccClient)
      return (
        (
          await tokenRequest(
            s,
            { grant_type: 'client_credentials' },
            { authorization: basic(c.client_id, 'wrong') },
          )
        ).headers.get('www-authenticate') !== null
      )
    },
  },
  'refresh-grant-unregistered': {
    run: async (s) =>
      (await registered(s, withWeb({ grant_types: ['authorization_code'] }))).grant_types,
  },
  'unknown-client-invalid-request': {
    run: async (s) =>
      status(
        tokenRequest(
          s,
          { grant_type: 'authorization_code', code: 'x' },
          { authorization: basic('harness-unknown-client', 'wrong') },
        ),
      ),
  },
  'grant-type-unchecked': {
    run: async (s) => {
      const c = await registered(s)
      return status(
        tokenRequest(
          s,
          { grant_type: 'client_credentials' },
          { authorization: basic(c.client_id, c.client_secret) },
        ),
      )
    },
  },
  'token-no-store-missing': {
    run: async (s) =>
      (
        await tokenRequest(
          s,
          { grant_type: 'client_credentials', scope: 'dcr' },
          {
            authorization: basic(
              s.registrationClient.client_id,
              s.registrationClient.client_secret,
            ),
          },
        )
      ).headers.get('cache-control'),
  },
  'scope-not-narrowed': {
    run: async (s) => {
      const c = await registered(s, ccClient)
      return status(
        tokenRequest(
          s,
          { grant_type: 'client_credentials', scope: 'read write' },
          { authorization: basic(c.client_id, c.client_secret) },
        ),
      )
    },
  },
  'refresh-reusable': {
    run: async (s) => {
      const f = await flow(s)
      const auth = { authorization: basic(f.client.client_id, f.client.client_secret) }
      await tokenRequest(
        s,
        { grant_type: 'refresh_token', refresh_token: f.tokens.body.refresh_token },
        auth,
      )
      return status(
        tokenRequest(
          s,
          { grant_type: 'refresh_token', refresh_token: f.tokens.body.refresh_token },
          auth,
        ),
      )
    },
  },
  'refresh-not-bound': {
    run: async (s) => {
      const f = await flow(s)
      const b = await registered(s)
      return status(
        tokenRequest(
          s,
          { grant_type: 'refresh_token', refresh_token: f.tokens.body.refresh_token },
          { authorization: basic(b.client_id, b.client_secret) },
        ),
      )
    },
  },
  'refresh-scope-widening': {
    run: async (s) => {
      const f = await flow(s, webClient, { scope: 'openid' })
      return status(
        tokenRequest(
          s,
          {
            grant_type: 'refresh_token',
            refresh_token: f.tokens.body.refresh_token,
            scope: 'openid profile',
          },
          { authorization: basic(f.client.client_id, f.client.client_secret) },
        ),
      )
    },
  },
  // ID tokens and UserInfo
  'id-token-aud-wrong': {
    run: async (s) => {
      const f = await flow(s)
      return f.idClaims!.aud === f.client.client_id
    },
  },
  'id-token-nonce-missing': { run: async (s) => (await flow(s)).idClaims!.nonce ?? null },
  'id-token-at-hash-wrong': {
    run: async (s) => {
      const f = await flow(s)
      return f.idClaims!.at_hash === atHash(f.tokens.body.access_token)
    },
  },
  'id-token-alg-ignored': {
    run: async (s) =>
      (await flow(s, withWeb({ id_token_signed_response_alg: 'ES256' }))).idHeader!.alg,
  },
  'id-token-expired': { run: async (s) => (await flow(s)).idClaims!.exp! > Date.now() / 1000 },
  'id-token-kid-missing': { run: async (s) => typeof (await flow(s)).idHeader!.kid },
  'auth-time-missing': {
    run: async (s) =>
      typeof (await flow(s, withWeb({ require_auth_time: true }))).idClaims!.auth_time,
  },
  'pairwise-ignored': {
    run: async (s) =>
      (await flow(s, withWeb({ subject_type: 'pairwise' }))).idClaims!.sub === 'alice',
  },
  'userinfo-sub-mismatch': {
    run: async (s) => {
      const f = await flow(s)
      return (
        (
          await send(ep(s).userinfo, {
            headers: { authorization: `Bearer ${f.tokens.body.access_token}` },
          })
        ).body.sub === f.idClaims!.sub
      )
    },
  },
  'userinfo-jwt-ignored': {
    run: async (s) => {
      const f = await flow(s, withWeb({ userinfo_signed_response_alg: 'RS256' }))
      return (
        await send(ep(s).userinfo, {
          headers: { authorization: `Bearer ${f.tokens.body.access_token}` },
        })
      ).headers.get('content-type')
    },
  },
  // Added faults
  'ssa-iss-not-required': {
    run: async (s) => {
      const jwk = key('ssa-trusted.private.jwk.json')
      const jwt = await new SignJWT({ client_name: 'no iss' })
        .setProtectedHeader({ alg: 'ES256', kid: jwk.kid! })
        .sign(await importJWK(jwk, 'ES256'))
      return status(register(s, withWeb({ software_statement: jwt })))
    },
  },
  'ssa-malformed-ignored': { run: regStatus(withWeb({ software_statement: 'not.a.jwt' })) },
  'oidc-metadata-incomplete': {
    run: async (s) => 'subject_types_supported' in (await send(ep(s).discovery)).body,
  },
  'application-type-default-native': { run: async (s) => (await registered(s)).application_type },
  'id-token-alg-default-wrong': {
    run: async (s) => (await registered(s)).id_token_signed_response_alg,
  },
  'client-id-reused': {
    run: async (s) => (await registered(s)).client_id === (await registered(s)).client_id,
  },
  'client-id-numeric': { run: async (s) => typeof (await registered(s)).client_id },
  'secret-post-broken': {
    run: async (s) => {
      const c = await registered(s, {
        ...ccClient,
        token_endpoint_auth_method: 'client_secret_post',
      })
      return status(
        tokenRequest(s, {
          grant_type: 'client_credentials',
          client_id: c.client_id,
          client_secret: c.client_secret,
        }),
      )
    },
  },
  'basic-ignored': {
    // A dynamic client's Basic credentials: 200 on the clean server, 400 invalid_request under the fault.
    run: basicClientCredentials,
  },

  'basic-not-urldecoded': {
    // Dynamic client secrets contain a '/', which form-urlencoding turns into %2F.
    run: basicClientCredentials,
  },
  'grant-types-default-missing': { run: async (s) => (await registered(s)).grant_types },
  'scope-not-echoed': { run: async (s) => 'scope' in (await registered(s)) },
  'config-read-text-plain': {
    run: async (s) => (await rcuGet(await registered(s))).headers.get('content-type'),
  },
  'rotated-secret-not-saved': {
    run: async (s) => {
      const c = await registered(s, ccClient)
      const read = (await rcuGet(c)).body
      return status(
        tokenRequest(
          s,
          { grant_type: 'client_credentials' },
          { authorization: basic(c.client_id, read.client_secret) },
        ),
      )
    },
  },
  'put-response-stale': {
    run: async (s) => {
      const c = await registered(s)
      return (
        (await put(c, { ...webClient, client_id: c.client_id, client_name: 'New' })).body
          .client_name ?? null
      )
    },
  },
  'put-adopts-server-members': {
    run: async (s) => {
      const c = await registered(s)
      await put(c, {
        ...webClient,
        client_id: c.client_id,
        registration_access_token: 'harness-chosen-rat',
      })
      return status(rcuGet(c, 'harness-chosen-rat'))
    },
  },
  'pkce-s256-wrong-encoding': { run: async (s) => (await flow(s)).tokens.status },
  'native-loopback-rejected': {
    run: regStatus({
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/cb'],
      scope: 'openid',
    }),
  },
  'discovery-http-endpoints': {
    tls: true,
    run: async (s) => {
      const dispatcher = new Agent({
        connect: {
          ca: readFileSync(new URL('../../fixtures/tls/ca.pem', import.meta.url), 'utf8'),
        },
      })
      try {
        const body = (await (await fetch(ep(s).discovery, { dispatcher })).json()) as Json
        return body.registration_endpoint.startsWith('https://')
      } finally {
        await dispatcher.close()
      }
    },
  },
  'unadvertised-auth-method-accepted': {
    run: async (s) => [
      (await send(ep(s).discovery)).body.token_endpoint_auth_methods_supported.includes('none'),
      await status(register(s, withWeb({ token_endpoint_auth_method: 'none' }))),
    ],
  },
  'client-id-from-clock': {
    // Three registrations within one second: at least two share a second under the fault.
    run: async (s) => {
      const ids = await Promise.all([1, 2, 3].map(async () => (await registered(s)).client_id))
      return new Set(ids).size
    },
  },
  'relative-registration-client-uri': {
    run: async (s) => /^https?:\/\//.test((await registered(s)).registration_client_uri),
  },
  'auth-methods-overadvertised': {
    run: async (s) =>
      (await send(ep(s).discovery)).body.token_endpoint_auth_methods_supported.includes(
        'client_secret_jwt',
      ),
  },
  'redirect-wildcard-accepted': {
    run: regStatus({ redirect_uris: ['https://*.example.com/cb'], scope: 'openid' }),
  },
  'iat-not-required': { run: (s) => status(registerRaw(s, webClient)) },
  'sector-identifier-unchecked': sectorIdentifierProbe,
  'pairwise-multi-host-accepted': {
    run: regStatus(
      withWeb({
        subject_type: 'pairwise',
        redirect_uris: ['https://a.example.com/cb', 'https://b.example.com/cb'],
      }),
    ),
  },
  'token-scope-omitted': {
    run: async (s) =>
      'scope' in
      (
        await tokenRequest(
          s,
          { grant_type: 'client_credentials', scope: 'dcr' },
          {
            authorization: basic(
              s.registrationClient.client_id,
              s.registrationClient.client_secret,
            ),
          },
        )
      ).body,
  },
  'default-max-age-ignored': {
    run: async (s) => {
      const c = await registered(s, withWeb({ default_max_age: 0 }))
      const first = await codeFor(s, c)
      const again = await authorize(
        s,
        {
          client_id: c.client_id,
          redirect_uri: c.redirect_uris[0],
          response_type: 'code',
          scope: 'openid',
          code_challenge: 'a'.repeat(43),
          code_challenge_method: 'S256',
        },
        { cookie: first.result.cookie!, login: false },
      )
      return again.status
    },
  },
  'private-scheme-rejected': {
    run: regStatus({
      application_type: 'native',
      redirect_uris: ['com.example.app:/cb'],
      scope: 'openid',
    }),
  },
  'jwks-use-missing': {
    run: async (s) =>
      ((await send(ep(s).jwks)).body.keys as { use?: string }[]).map((key) => key.use ?? null),
  },
  'registration-cors-missing': {
    run: async (s) => {
      const r = await registrationPreflight(s)
      return [r.status, r.headers.get('access-control-allow-origin')]
    },
  },
  'registration-cors-preflight-only': {
    run: async (s) => {
      const preflight = await registrationPreflight(s)
      const origin = { origin: 'https://spa.example' }
      const answer = await registerRaw(s, webClient, await iat(s), origin)
      const allowed = (reply: { headers: Headers }) => reply.headers.get('access-control-allow-origin')
      return [allowed(preflight), allowed(answer)]
    },
  },
  'registration-cors-headers-missing': {
    run: async (s) => {
      const r = await registrationPreflight(s)
      return [r.status, r.headers.get('access-control-allow-headers')]
    },
  },
  'plain-http-accepted': {
    tls: true,
    config: { registration: { authentication: 'none' } },
    run: async (s) => {
      try {
        return (
          await fetch(`${ep(s).register.replace('https://', 'http://')}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(webClient),
          })
        ).status
      } catch {
        return 'refused'
      }
    },
  },
  'open-registration-requires-token': {
    config: { registration: { authentication: 'none' } },
    run: (s) => status(registerRaw(s, webClient)),
  },
  'contacts-as-string': {
    run: async (s) =>
      (await registered(s, withWeb({ contacts: ['a@example.com', 'b@example.com'] }))).contacts,
  },
  // The input-dependent faults (proven by the fuzzer): each probe sends the triggering input.
  'jwks-no-kty-crash': { run: regStatus(withWeb({ jwks: { keys: [{ use: 'sig' }] } })) },
  'fragment-redirect-multi-accepted': {
    run: regStatus({ redirect_uris: ['https://localhost/cb', 'https://localhost/cb#frag'] }),
  },
  'contacts-non-ascii-garbled': {
    run: async (s) => (await registered(s, withWeb({ contacts: ['josé@example.com'] }))).contacts,
  },
  'config-read-partial': {
    run: async (s) => 'redirect_uris' in (await rcuGet(await registered(s))).body,
  },
  'read-drops-metadata': {
    run: async (s) => 'grant_types' in (await rcuGet(await registered(s))).body,
  },
  'read-null-members': {
    run: async (s) => (await rcuGet(await registered(s))).body.logo_uri === null,
  },
  'read-cacheable': {
    run: async (s) => (await rcuGet(await registered(s))).headers.get('cache-control'),
  },
  'read-modifies-client': {
    run: async (s) => {
      const c = await registered(s)
      const first = (await rcuGet(c)).body
      return (await rcuGet(c, first.registration_access_token)).body.grant_types.length
    },
  },
  'delete-keeps-refresh-tokens': {
    run: async (s) => {
      const { client, tokens } = await flow(s, {
        ...webClient,
        grant_types: ['authorization_code', 'refresh_token'],
      })
      await rcuCall(client, 'DELETE')
      const r = await tokenRequest(
        s,
        { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token },
        { authorization: basic(client.client_id, client.client_secret) },
      )
      return r.status
    },
  },
  'json-body-refused': { run: regStatus(webClient) },
  'client-assertion-alg-none-accepted': {
    // An unsecured client assertion for a private_key_jwt client: 401 clean, 200 under the fault.
    run: async (s) => {
      const { publicKey } = await generateKeyPair('RS256')
      const jwks = { keys: [{ ...(await exportJWK(publicKey)), alg: 'RS256' }] }
      const c = await registered(s, {
        ...ccClient,
        token_endpoint_auth_method: 'private_key_jwt',
        jwks,
      })
      const encode = (v: Json) => Buffer.from(JSON.stringify(v)).toString('base64url')
      const now = Math.floor(Date.now() / 1000)
      const claims = { iss: c.client_id, sub: c.client_id, aud: ep(s).token, jti: 'none-1', exp: now + 60 }
      return status(
        tokenRequest(s, {
          grant_type: 'client_credentials',
          client_id: c.client_id,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: `${encode({ alg: 'none' })}.${encode(claims)}.`,
        }),
      )
    },
  },
}
