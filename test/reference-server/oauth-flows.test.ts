/** Discovery, authorization endpoint, token endpoint, ID tokens, UserInfo, introspection, revocation. */
import { describe, expect, it } from 'vitest'
import { createLocalJWKSet, decodeJwt, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose'
import { randomUUID } from 'node:crypto'
import { atHash } from '../../reference-server/tokens/id-token.ts'
import { authorize, basic, codeFor, ep, iat, redeem, registered, registerRaw } from './helpers.ts'
import { codeRequest } from './helpers.ts'
import { send, start, startForFile, tokenRequest, webClient } from './helpers.ts'
import type { Json } from './helpers.ts'

const s = await startForFile()

const web = (extra: Json) => ({ ...webClient, ...extra })
const auth = (c: Json) => ({ authorization: basic(c.client_id, c.client_secret) })

describe('discovery and keys', () => {
  it('serves the same document at the OpenID and RFC 8414 URLs, with everything a client needs', async () => {
    const a = await send(ep(s).discovery)
    const b = await send(ep(s).rfc8414)
    expect(a.status).toBe(200)
    expect(a.headers.get('content-type')).toMatch(/^application\/json/)
    expect(b.body).toEqual(a.body)
    expect(a.body).toMatchObject({
      issuer: s.issuer,
      registration_endpoint: ep(s).register,
      token_endpoint: ep(s).token,
      authorization_endpoint: ep(s).authorize,
      jwks_uri: ep(s).jwks,
      code_challenge_methods_supported: ['S256'],
      subject_types_supported: ['public', 'pairwise'],
      id_token_signing_alg_values_supported: ['RS256', 'ES256', 'PS256'],
      authorization_response_iss_parameter_supported: true,
      response_types_supported: ['code'],
      grant_types_supported: expect.arrayContaining([
        'authorization_code',
        'client_credentials',
        'refresh_token',
      ]),
      token_endpoint_auth_methods_supported: expect.arrayContaining([
        'client_secret_basic',
        'client_secret_post',
        'none',
        'private_key_jwt',
      ]),
    })
    expect(a.body.grant_types_supported).not.toContain('implicit')
    expect(a.body.scopes_supported).toEqual(
      expect.arrayContaining(['openid', 'profile', 'email', 'offline_access']),
    )
  })

  it('the JWKS holds public keys only, each with kid, alg and use', async () => {
    const r = await send(ep(s).jwks)
    expect(r.body.keys).toHaveLength(3)
    for (const k of r.body.keys) {
      for (const m of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(k).not.toHaveProperty(m)
      expect(k).toMatchObject({ kid: expect.any(String), alg: expect.any(String), use: 'sig' })
    }
  })
})

describe('authorization endpoint', () => {
  it('never redirects to an unregistered URI or for an unknown client', async () => {
    const c = await registered(s, web({ redirect_uris: ['https://rp.example.com/cb'] }))
    const variants = [
      'https://attacker.example/cb',
      'https://rp.example.com/cb/',
      'https://rp.example.com/CB',
      'https://rp.example.com/cb?x=1',
      'https://rp.example.com:8443/cb',
      'http://rp.example.com/cb',
      'https://evil.rp.example.com/cb',
      'https://rp.example.com/x/../cb',
      'https://rp.example.com/c%62',
    ]
    for (const redirect_uri of variants) {
      const r = await authorize(
        s,
        {
          client_id: c.client_id,
          redirect_uri,
          response_type: 'code',
          scope: 'openid',
          state: 's',
        },
        { login: false },
      )
      expect(r.status, redirect_uri).toBe(400)
      expect(r.location, redirect_uri).toBeUndefined()
    }
    const unknown = await authorize(
      s,
      { client_id: 'nobody', redirect_uri: 'https://rp.example.com/cb', response_type: 'code' },
      { login: false },
    )
    expect(unknown.status).toBe(400)
    expect(unknown.page).toMatch(/invalid_client/)
  })

  it('errors after the redirect URI is trusted redirect with error, state and iss', async () => {
    const c = await registered(s)
    const state = 'a-._~%20b'
    const cases: [Json, string][] = [
      [{ response_type: 'token' }, 'unsupported_response_type'],
      [{ scope: 'openid harness-invalid-scope' }, 'invalid_scope'],
      [{ code_challenge_method: 'plain' }, 'invalid_request'],
      [{ code_challenge_method: 'harness' }, 'invalid_request'],
      [{ response_type: undefined }, 'invalid_request'],
      [{ prompt: 'none' }, 'login_required'],
    ]
    for (const [extra, error] of cases) {
      const r = await authorize(
        s,
        {
          client_id: c.client_id,
          redirect_uri: 'https://localhost/callback',
          response_type: 'code',
          scope: 'openid',
          state,
          code_challenge: 'a'.repeat(43),
          code_challenge_method: 'S256',
          ...extra,
        },
        { login: false },
      )
      expect(r.status, JSON.stringify(extra)).toBe(302)
      expect(r.query?.get('error')).toBe(error)
      expect(r.query?.get('state')).toBe(state)
      expect(r.query?.get('iss')).toBe(s.issuer)
      expect(r.query?.get('code')).toBeNull()
    }
  })

  it('several registered URIs (or openid) require redirect_uri', async () => {
    const c = await registered(
      s,
      web({ redirect_uris: ['https://localhost/a', 'https://localhost/b'], scope: 'profile' }),
    )
    const r = await authorize(
      s,
      { client_id: c.client_id, response_type: 'code', scope: 'profile' },
      { login: false },
    )
    expect(r.status).toBe(400)
    const single = await registered(s, web({ scope: 'openid profile' }))
    expect(
      (
        await authorize(
          s,
          { client_id: single.client_id, response_type: 'code', scope: 'openid' },
          { login: false },
        )
      ).status,
    ).toBe(400)
    expect(
      (
        await authorize(
          s,
          { client_id: single.client_id, response_type: 'code', scope: 'profile' },
          { login: false },
        )
      ).status,
    ).toBe(200)
  })

  it('loopback IP redirect URIs match any port (RFC 8252)', async () => {
    const c = await registered(s, {
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/cb'],
      token_endpoint_auth_method: 'none',
      scope: 'openid',
    })
    const { code, result } = await codeFor(s, c, { redirect_uri: 'http://127.0.0.1:53127/cb' })
    expect(result.location).toMatch(/^http:\/\/127\.0\.0\.1:53127\/cb\?code=/)
    expect(code).toBeTruthy()
    const other = await authorize(
      s,
      {
        client_id: c.client_id,
        redirect_uri: 'http://127.0.0.1:53127/other',
        response_type: 'code',
        code_challenge: 'a'.repeat(43),
        code_challenge_method: 'S256',
      },
      { login: false },
    )
    expect(other.status).toBe(400)
  })

  it('PKCE is required for require_proof_key and public clients', async () => {
    for (const md of [
      web({ require_proof_key: true }),
      {
        application_type: 'native',
        redirect_uris: ['http://127.0.0.1/cb'],
        token_endpoint_auth_method: 'none',
        scope: 'openid',
      },
    ]) {
      const c = await registered(s, md)
      const r = await authorize(
        s,
        {
          ...codeRequest(c),
          state: 'x',
        },
        { login: false },
      )
      expect(r.query?.get('error')).toBe('invalid_request')
      expect(r.query?.get('state')).toBe('x')
    }
  })

  it('pages are protected against framing and carry no CORS; login answers 303; wrong password shows the form again', async () => {
    const c = await registered(s)
    const page = await send(
      `${ep(s).authorize}?${new URLSearchParams({ client_id: c.client_id, redirect_uri: 'https://localhost/callback', response_type: 'code', scope: 'openid' })}`,
      { headers: { origin: 'https://spa.example' } },
    )
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/)
    expect(page.headers.get('access-control-allow-origin')).toBeNull()
    const wrong = await authorize(
      s,
      {
        client_id: c.client_id,
        redirect_uri: 'https://localhost/callback',
        response_type: 'code',
        scope: 'openid',
      },
      { password: 'wrong' },
    )
    expect(wrong.status).toBe(200)
    expect(wrong.page).toMatch(/Invalid username or password/)
    const ok = await codeFor(s, c)
    expect(ok.result.status).toBe(303)
  })

  it('a session cookie skips the login page; max_age=0 forces it again', async () => {
    const c = await registered(s)
    const first = await codeFor(s, c)
    const cookie = first.result.cookie!
    const base = {
      client_id: c.client_id,
      redirect_uri: 'https://localhost/callback',
      response_type: 'code',
      scope: 'openid',
    }
    const again = await authorize(s, base, { cookie })
    expect(again.status).toBe(302)
    expect(again.query?.get('code')).toBeTruthy()
    const forced = await authorize(
      s,
      { ...base, max_age: '0', prompt: 'login' },
      { cookie, login: false },
    )
    expect(forced.status).toBe(200)
  })
})

describe('token endpoint', () => {
  it('code flow: single use, replay revokes issued tokens, bound to client, redirect_uri and verifier', async () => {
    const c = await registered(s)
    const { code, verifier, redirectUri } = await codeFor(s, c)
    const first = await redeem(s, c, code, verifier, redirectUri)
    expect(first.status).toBe(200)
    expect(first.headers.get('cache-control')).toBe('no-store')
    expect(first.headers.get('pragma')).toBe('no-cache')
    const replay = await redeem(s, c, code, verifier, redirectUri)
    expect(replay.status).toBe(400)
    expect(replay.body.error).toBe('invalid_grant')
    expect(
      (
        await send(ep(s).userinfo, {
          headers: { authorization: `Bearer ${first.body.access_token}` },
        })
      ).status,
    ).toBe(401)
    expect(
      (
        await tokenRequest(
          s,
          { grant_type: 'refresh_token', refresh_token: first.body.refresh_token },
          auth(c),
        )
      ).body.error,
    ).toBe('invalid_grant')

    const other = await registered(s)
    const c2 = await codeFor(s, c)
    expect((await redeem(s, other, c2.code, c2.verifier, c2.redirectUri)).body.error).toBe(
      'invalid_grant',
    )
    const c3 = await codeFor(s, c)
    expect((await redeem(s, c, c3.code, 'x'.repeat(43), c3.redirectUri)).body.error).toBe(
      'invalid_grant',
    )
    const c4 = await codeFor(s, c)
    expect((await redeem(s, c, c4.code, undefined, c4.redirectUri)).body.error).toBe(
      'invalid_grant',
    )
    const c5 = await codeFor(s, c)
    expect((await redeem(s, c, c5.code, c5.verifier, 'https://localhost/other')).body.error).toBe(
      'invalid_grant',
    )
    const c6 = await codeFor(s, c, { code_challenge: undefined, code_challenge_method: undefined })
    expect((await redeem(s, c, c6.code, 'v'.repeat(43), c6.redirectUri)).status).toBe(400)
  })

  it('client authentication: Basic failures get 401 + WWW-Authenticate; registered method enforced; two methods refused', async () => {
    const c = await registered(s, { grant_types: ['client_credentials'], scope: 'read' })
    const wrong = await tokenRequest(
      s,
      { grant_type: 'client_credentials' },
      { authorization: basic(c.client_id, 'wrong') },
    )
    expect(wrong.status).toBe(401)
    expect(wrong.body.error).toBe('invalid_client')
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Basic /)
    expect(
      (
        await tokenRequest(s, {
          grant_type: 'client_credentials',
          client_id: c.client_id,
          client_secret: c.client_secret,
        })
      ).body.error,
    ).toBe('invalid_client')
    expect(
      (await tokenRequest(s, { grant_type: 'client_credentials', client_id: c.client_id })).body
        .error,
    ).toBe('invalid_client')
    const both = await tokenRequest(
      s,
      { grant_type: 'client_credentials', client_secret: c.client_secret },
      auth(c),
    )
    expect(both.status).toBe(400)
    expect(both.body.error).toBe('invalid_request')
    const post = await registered(s, {
      grant_types: ['client_credentials'],
      scope: 'read',
      token_endpoint_auth_method: 'client_secret_post',
    })
    expect(
      (
        await tokenRequest(s, {
          grant_type: 'client_credentials',
          client_id: post.client_id,
          client_secret: post.client_secret,
        })
      ).status,
    ).toBe(200)
    expect((await tokenRequest(s, { grant_type: 'client_credentials' }, auth(post))).status).toBe(
      401,
    )
  })

  it('grant and scope errors', async () => {
    const c = await registered(s)
    expect((await tokenRequest(s, { grant_type: 'client_credentials' }, auth(c))).body.error).toBe(
      'unauthorized_client',
    )
    expect((await tokenRequest(s, { grant_type: 'harness' }, auth(c))).body.error).toBe(
      'unsupported_grant_type',
    )
    expect(
      (
        await tokenRequest(
          s,
          { grant_type: 'password', username: 'alice', password: 'alice-password' },
          auth(c),
        )
      ).body.error,
    ).toBe('unsupported_grant_type')
    const cc = await registered(s, {
      grant_types: ['client_credentials'],
      scope: 'read',
      access_token_ttl: 120,
    })
    const narrowed = await tokenRequest(s, { grant_type: 'client_credentials' }, auth(cc))
    expect(narrowed.body).toMatchObject({ scope: 'read', expires_in: 120, token_type: 'Bearer' })
    expect(
      (await tokenRequest(s, { grant_type: 'client_credentials', scope: 'read write' }, auth(cc)))
        .body.error,
    ).toBe('invalid_scope')
  })

  it('refresh tokens rotate; reuse of an old one fails and revokes the grant; no widening; bound to the client', async () => {
    const c = await registered(s, web({ scope: 'openid profile' }))
    const { code, verifier, redirectUri } = await codeFor(s, c, { scope: 'openid' })
    const t1 = (await redeem(s, c, code, verifier, redirectUri)).body
    expect(
      (
        await tokenRequest(
          s,
          { grant_type: 'refresh_token', refresh_token: t1.refresh_token, scope: 'openid profile' },
          auth(c),
        )
      ).body.error,
    ).toBe('invalid_scope')
    const other = await registered(s)
    expect(
      (
        await tokenRequest(
          s,
          { grant_type: 'refresh_token', refresh_token: t1.refresh_token },
          auth(other),
        )
      ).body.error,
    ).toBe('invalid_grant')
    const t2 = await tokenRequest(
      s,
      { grant_type: 'refresh_token', refresh_token: t1.refresh_token },
      auth(c),
    )
    expect(t2.status).toBe(200)
    expect(t2.body.refresh_token).not.toBe(t1.refresh_token)
    expect(
      (
        await tokenRequest(
          s,
          { grant_type: 'refresh_token', refresh_token: t1.refresh_token },
          auth(c),
        )
      ).body.error,
    ).toBe('invalid_grant')
    expect(
      (
        await tokenRequest(
          s,
          { grant_type: 'refresh_token', refresh_token: t2.body.refresh_token },
          auth(c),
        )
      ).body.error,
    ).toBe('invalid_grant')
  })

  it('refresh_token_ttl 0: no refresh token', async () => {
    const c = await registered(s, web({ refresh_token_ttl: 0 }))
    const { code, verifier, redirectUri } = await codeFor(s, c)
    const t = await redeem(s, c, code, verifier, redirectUri)
    expect(t.status).toBe(200)
    expect(t.body.refresh_token).toBeUndefined()
  })

  it('public clients redeem with client_id and PKCE only', async () => {
    const c = await registered(s, {
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/cb'],
      token_endpoint_auth_method: 'none',
      scope: 'openid',
    })
    const { code, verifier, redirectUri } = await codeFor(s, c)
    const t = await tokenRequest(s, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: redirectUri,
      client_id: c.client_id,
    })
    expect(t.status).toBe(200)
  })

  it('private_key_jwt clients authenticate with a signed assertion; a replayed jti fails', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256')
    const c = await registered(s, {
      grant_types: ['client_credentials'],
      scope: 'read',
      token_endpoint_auth_method: 'private_key_jwt',
      jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1' }] },
    })
    const assertion = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(c.client_id)
      .setSubject(c.client_id)
      .setAudience(ep(s).token)
      .setIssuedAt()
      .setExpirationTime('2m')
      .sign(privateKey)
    const form = {
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    }
    expect((await tokenRequest(s, form)).status).toBe(200)
    expect((await tokenRequest(s, form)).body.error).toBe('invalid_client')
  })
})

describe('ID tokens and UserInfo', () => {
  const jwks = async () => createLocalJWKSet((await send(ep(s).jwks)).body)

  for (const alg of ['RS256', 'ES256', 'PS256']) {
    it(`signs ID tokens with ${alg} when registered, with all required claims`, async () => {
      const c = await registered(s, web({ id_token_signed_response_alg: alg }))
      const { code, verifier, redirectUri } = await codeFor(s, c)
      const t = (await redeem(s, c, code, verifier, redirectUri)).body
      const { payload, protectedHeader } = await jwtVerify(t.id_token, await jwks(), {
        issuer: s.issuer,
        audience: c.client_id,
      })
      expect(protectedHeader).toMatchObject({ alg, kid: expect.any(String) })
      expect(payload).toMatchObject({
        sub: 'alice',
        azp: c.client_id,
        nonce: 'n-456',
        auth_time: expect.any(Number),
        at_hash: atHash(t.access_token),
      })
      expect(payload.exp!).toBeGreaterThan(payload.iat!)
    })
  }

  it('pairwise subjects differ per sector and from the public one; UserInfo sub matches', async () => {
    const subs: string[] = []
    for (const md of [
      web({}),
      web({ subject_type: 'pairwise', redirect_uris: ['https://a.example.com/cb'] }),
      web({ subject_type: 'pairwise', redirect_uris: ['https://b.example.com/cb'] }),
    ]) {
      const c = await registered(s, md)
      const { code, verifier, redirectUri } = await codeFor(s, c)
      const t = (await redeem(s, c, code, verifier, redirectUri)).body
      const sub = decodeJwt(t.id_token).sub!
      const info = await send(ep(s).userinfo, {
        headers: { authorization: `Bearer ${t.access_token}` },
      })
      expect(info.status).toBe(200)
      expect(info.body.sub).toBe(sub)
      subs.push(sub)
    }
    expect(new Set(subs).size).toBe(3)
    expect(subs[0]).toBe('alice')
  })

  it('UserInfo answers a signed JWT when userinfo_signed_response_alg is registered; scope-filtered claims', async () => {
    const c = await registered(
      s,
      web({ scope: 'openid email', userinfo_signed_response_alg: 'ES256' }),
    )
    const { code, verifier, redirectUri } = await codeFor(s, c)
    const t = (await redeem(s, c, code, verifier, redirectUri)).body
    const info = await send(ep(s).userinfo, {
      headers: { authorization: `Bearer ${t.access_token}` },
    })
    expect(info.headers.get('content-type')).toBe('application/jwt')
    const { payload, protectedHeader } = await jwtVerify(info.text, await jwks(), {
      issuer: s.issuer,
      audience: c.client_id,
    })
    expect(protectedHeader.alg).toBe('ES256')
    expect(payload).toMatchObject({ sub: 'alice', email: 'alice@example.com' })
    expect(payload.name).toBeUndefined()
  })

  it('UserInfo refuses missing, unknown and non-openid tokens with Bearer challenges', async () => {
    expect((await send(ep(s).userinfo)).headers.get('www-authenticate')).toMatch(/^Bearer/)
    expect((await send(ep(s).userinfo, { headers: { authorization: 'Bearer nope' } })).status).toBe(
      401,
    )
    const cc = await registered(s, { grant_types: ['client_credentials'], scope: 'read' })
    const at = (await tokenRequest(s, { grant_type: 'client_credentials' }, auth(cc))).body
      .access_token
    expect(
      (await send(ep(s).userinfo, { headers: { authorization: `Bearer ${at}` } })).status,
    ).toBe(403)
  })
})

describe('introspection and revocation', () => {
  it('introspects and revokes', async () => {
    const cc = await registered(s, { grant_types: ['client_credentials'], scope: 'read' })
    const at = (await tokenRequest(s, { grant_type: 'client_credentials' }, auth(cc))).body
      .access_token
    const introspect = (token: string) =>
      send(ep(s).introspect, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth(cc) },
        body: new URLSearchParams({ token }).toString(),
      })
    expect((await introspect(at)).body).toMatchObject({
      active: true,
      client_id: cc.client_id,
      scope: 'read',
      iss: s.issuer,
    })
    expect((await introspect('nope')).body).toEqual({ active: false })
    const unauth = await send(ep(s).introspect, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${at}`,
    })
    expect(unauth.status).toBe(401)
    const revoked = await send(ep(s).revoke, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...auth(cc) },
      body: new URLSearchParams({ token: at }).toString(),
    })
    expect(revoked.status).toBe(200)
    expect((await introspect(at)).body).toEqual({ active: false })
  })
})

describe('registration authentication by user (Curity authenticate-user-by)', () => {
  it('an IAT from a user code flow with scope dcr registers; a client_credentials token does not', async () => {
    const u = await start({ config: { registration: { authentication: 'user' } } })
    try {
      const server = {
        client_id: 'server',
        client_secret: u.registrationClient.client_secret,
        redirect_uris: ['http://127.0.0.1:40000/callback'],
        scope: 'dcr',
      }
      const { code, verifier, redirectUri } = await codeFor(u, server, { nonce: undefined })
      const t = await redeem(u, server, code, verifier, redirectUri)
      expect(t.status).toBe(200)
      expect((await registerRaw(u, webClient, t.body.access_token)).status).toBe(201)
      expect((await registerRaw(u, webClient, t.body.access_token)).status).toBe(401)
      expect((await registerRaw(u, webClient, await iat(u))).status).toBe(401)
    } finally {
      await u.close()
    }
  })
})

describe('Basic credentials encoding (RFC 6749 §2.3.1)', () => {
  it('accepts form-urlencoded secrets (the secret holds a reserved character) and raw ones', async () => {
    const c = await registered(s, { grant_types: ['client_credentials'], scope: 'read' })
    expect(c.client_secret).toMatch(/\//)
    const encoded = `Basic ${Buffer.from(`${c.client_id}:${encodeURIComponent(c.client_secret)}`).toString('base64')}`
    const raw = `Basic ${Buffer.from(`${c.client_id}:${c.client_secret}`).toString('base64')}`
    expect(encoded).not.toBe(raw)
    for (const authorization of [encoded, raw]) {
      expect(
        (await tokenRequest(s, { grant_type: 'client_credentials' }, { authorization })).status,
      ).toBe(200)
    }
  })
})
