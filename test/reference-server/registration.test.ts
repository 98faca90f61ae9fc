/** Registration (RFC 7591 / OIDC DCR): validation matrix, defaults, echo, IAT rules. */
import { describe, expect, it } from 'vitest'
import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose'
import type { JWK } from 'jose'
import { readFileSync } from 'node:fs'
import { basic, ep, iat, register, registered, registerRaw, send, start } from './helpers.ts'
import { startForFile, tokenRequest, webClient } from './helpers.ts'
import type { Json } from './helpers.ts'
import { capabilitiesFor } from '../../builtin/capabilities.ts'

const s = await startForFile()

const web = (extra: Json) => ({ ...webClient, ...extra })

describe('metadata validation', () => {
  // Each code with the metadata that must get it (RFC 7591 §3.2.2).
  const rejected: Record<string, [string, Json][]> = {
    invalid_redirect_uri: [
      ['fragment', { redirect_uris: ['https://localhost/cb#f'] }],
      ['relative', { redirect_uris: ['/cb'] }],
      ['not a URI', { redirect_uris: ['not a uri'] }],
      ['javascript', { redirect_uris: ['javascript:alert(1)'] }],
      ['data', { redirect_uris: ['data:text/html,x'] }],
      ['file', { redirect_uris: ['file:///etc/passwd'] }],
      ['http non-loopback for web', { redirect_uris: ['http://rp.example.com/cb'] }],
      [
        'one bad among good',
        { redirect_uris: ['https://rp.example.com/cb', 'http://rp.example.com/cb'] },
      ],
      ['wildcard', { redirect_uris: ['https://*.example.com/cb'] }],
      ['private-use scheme for web', { redirect_uris: ['com.example.app:/cb'] }],
      [
        'native https',
        { application_type: 'native', redirect_uris: ['https://rp.example.com/cb'] },
      ],
      [
        'native http public host',
        { application_type: 'native', redirect_uris: ['http://rp.example.com/cb'] },
      ],
      ['missing redirect_uris for code', { scope: 'openid' }],
      ['empty redirect_uris for code', { redirect_uris: [] }],
      ['redirect_uris as string', { redirect_uris: 'https://localhost/cb' }],
    ],
    invalid_client_metadata: [
      [
        'code grant with token response',
        web({ grant_types: ['authorization_code'], response_types: ['token'] }),
      ],
      ['implicit not allowed', web({ grant_types: ['implicit'], response_types: ['code'] })],
      ['password grant', web({ grant_types: ['authorization_code', 'password'] })],
      ['unknown grant', web({ grant_types: ['urn:harness:unknown'] })],
      ['unknown response type', web({ response_types: ['harness'] })],
      ['unknown auth method', web({ token_endpoint_auth_method: 'harness_unknown' })],
      [
        'none + client_credentials',
        { grant_types: ['client_credentials'], token_endpoint_auth_method: 'none' },
      ],
      ['private_key_jwt without keys', web({ token_endpoint_auth_method: 'private_key_jwt' })],
      ['jwks not a set', web({ jwks: { keys: 'x' } })],
      ['jwks string', web({ jwks: 'not-an-object' })],
      ['jwks symmetric', web({ jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] } })],
      [
        'jwks private RSA',
        web({ jwks: { keys: [{ kty: 'RSA', n: 'AQAB', e: 'AQAB', d: 'AQAB' }] } }),
      ],
      ['client_uri javascript', web({ client_uri: 'javascript:alert(1)' })],
      ['logo_uri data', web({ logo_uri: 'data:image/png;base64,AAAA' })],
      ['tos_uri relative', web({ tos_uri: '/tos' })],
      ['client_uri other host', web({ client_uri: 'https://other.example.com/' })],
      ['jwks_uri http', web({ jwks_uri: 'http://rp.example.com/jwks' })],
      ['initiate_login_uri http', web({ initiate_login_uri: 'http://rp.example.com/login' })],
      ['request_uris http', web({ request_uris: ['http://rp.example.com/r'] })],
      ['application_type bogus', web({ application_type: 'desktop' })],
      ['subject_type bogus', web({ subject_type: 'harness' })],
      [
        'pairwise over two hosts',
        web({
          subject_type: 'pairwise',
          redirect_uris: ['https://a.example.com/cb', 'https://b.example.com/cb'],
        }),
      ],
      ['id token alg HS999', web({ id_token_signed_response_alg: 'HS999' })],
      ['id token alg none', web({ id_token_signed_response_alg: 'none' })],
      ['id token alg HS256', web({ id_token_signed_response_alg: 'HS256' })],
      ['userinfo alg HS999', web({ userinfo_signed_response_alg: 'HS999' })],
      ['token auth signing alg none', web({ token_endpoint_auth_signing_alg: 'none' })],
      ['enc without alg', web({ id_token_encrypted_response_enc: 'A128CBC-HS256' })],
      ['userinfo enc without alg', web({ userinfo_encrypted_response_enc: 'A128CBC-HS256' })],
      ['request object enc without alg', web({ request_object_encryption_enc: 'A128CBC-HS256' })],
      ['default_max_age string', web({ default_max_age: '60' })],
      ['require_auth_time string', web({ require_auth_time: 'true' })],
      ['contacts string', web({ contacts: 'a@example.com' })],
      ['client_name number', web({ client_name: 5 })],
      ['scope outside allowed', web({ scope: 'openid harness-unknown-scope' })],
      ['privileged scope', web({ scope: 'openid admin' })],
      [
        'unknown acr',
        web({ default_acr_values: ['urn:se:curity:authentication:harness:unknown'] }),
      ],
      ['negative refresh ttl', web({ refresh_token_ttl: -1 })],
      ['zero access ttl', web({ access_token_ttl: 0 })],
    ],
  }
  for (const [code, rows] of Object.entries(rejected)) {
    for (const [name, metadata] of rows) {
      it(`rejects ${name} with ${code}`, async () => {
        const r = await register(s, metadata)
        expect(r.status).toBe(400)
        expect(r.headers.get('content-type')).toMatch(/^application\/json/)
        expect(r.headers.get('cache-control')).toBe('no-store')
        expect(r.body.error).toBe(code)
        expect(r.body.error_description).toMatch(/^[\x20-\x7e]+$/)
        expect(r.body.client_id).toBeUndefined()
      })
    }
  }

  it('rejects jwks together with jwks_uri', async () => {
    const { publicKey } = await generateKeyPair('ES256')
    const r = await register(
      s,
      web({ jwks: { keys: [await exportJWK(publicKey)] }, jwks_uri: 'https://localhost/jwks' }),
    )
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({
      error: 'invalid_client_metadata',
      error_description: expect.stringContaining('jwks'),
    })
  })

  it('refuses a wrong Content-Type, broken JSON and non-objects with 400 invalid_client_metadata', async () => {
    for (const [body, type] of [
      [JSON.stringify(webClient), 'application/x-www-form-urlencoded'],
      ['{"redirect_uris": [', 'application/json'],
      ['[1]', 'application/json'],
      ['null', 'application/json'],
    ] as const) {
      const r = await registerRaw(s, body, await iat(s), { 'content-type': type })
      expect(r.status).toBe(400)
      expect(r.body.error).toBe('invalid_client_metadata')
    }
  })
})

describe('accepted registrations', () => {
  it('client_credentials-only clients need no redirect URIs and get no response types', async () => {
    const c = await registered(s, { grant_types: ['client_credentials'], scope: 'read' })
    expect(c.grant_types).toEqual(['client_credentials'])
    expect(c.response_types).toEqual([])
    expect(c.redirect_uris).toBeUndefined()
    expect(c.client_secret).toEqual(expect.any(String))
  })

  it('native clients: loopback http and private-use schemes; public clients get no secret', async () => {
    const c = await registered(s, {
      application_type: 'native',
      redirect_uris: ['http://127.0.0.1/cb', 'http://[::1]/cb', 'com.example.app:/cb'],
      token_endpoint_auth_method: 'none',
      scope: 'openid',
    })
    expect(c.redirect_uris).toEqual([
      'http://127.0.0.1/cb',
      'http://[::1]/cb',
      'com.example.app:/cb',
    ])
    expect(c.token_endpoint_auth_method).toBe('none')
    expect(c.client_secret).toBeUndefined()
    expect(c.client_secret_expires_at).toBeUndefined()
    expect(c.require_proof_key).toBe(true)
  })

  it('web clients may use http loopback redirect URIs', async () => {
    const c = await registered(s, {
      redirect_uris: ['http://127.0.0.1:43111/callback'],
      scope: 'openid',
    })
    expect(c.redirect_uris).toEqual(['http://127.0.0.1:43111/callback'])
  })

  it('private_key_jwt clients get no secret', async () => {
    const { publicKey } = await generateKeyPair('ES256')
    const c = await registered(
      s,
      web({
        token_endpoint_auth_method: 'private_key_jwt',
        jwks: { keys: [await exportJWK(publicKey)] },
      }),
    )
    expect(c.client_secret).toBeUndefined()
    expect(c.token_endpoint_auth_method).toBe('private_key_jwt')
  })

  it('client_secret_post is registrable', async () => {
    const c = await registered(s, web({ token_endpoint_auth_method: 'client_secret_post' }))
    expect(c.token_endpoint_auth_method).toBe('client_secret_post')
    expect(c.token_endpoint_auth_methods).toEqual(['client_secret_post'])
    expect(c.client_secret).toEqual(expect.any(String))
  })

  it('echoes descriptive and language-tagged metadata unchanged; unknown members are ignored and not echoed', async () => {
    const md = web({
      redirect_uris: ['https://localhost/cb', 'https://localhost/cb2?x=1'],
      client_name: 'Harness',
      'client_name#ja-Jpan-JP': 'ハーネス',
      'tos_uri#de': 'https://localhost/tos-de',
      client_uri: 'https://localhost/',
      logo_uri: 'https://cdn.example.com/logo.png',
      policy_uri: 'https://localhost/policy',
      tos_uri: 'https://localhost/tos',
      contacts: ['ops@example.com'],
      software_id: 'harness-software',
      software_version: '1.2.3',
      harness_ext_param: 'x',
      default_max_age: 3600,
      require_auth_time: true,
    })
    const c = await registered(s, md)
    for (const [k, v] of Object.entries(md))
      if (k !== 'harness_ext_param') expect(c[k], k).toEqual(v)
    expect(c).not.toHaveProperty('harness_ext_param')
  })

  it('server-managed members in the request are not adopted', async () => {
    const c = await registered(
      s,
      web({
        client_id: 'harness-chosen-id',
        client_secret: 'harness-secret',
        client_secret_expires_at: 1,
        registration_access_token: 'x',
        registration_client_uri: 'https://evil.example/',
      }),
    )
    expect(c.client_id).not.toBe('harness-chosen-id')
    expect(c.client_secret).not.toBe('harness-secret')
    expect(c.client_secret_expires_at).toBe(0)
    expect(c.registration_access_token).not.toBe('x')
    expect(c.registration_client_uri).toBe(`${ep(s).register}/${c.client_id}`)
  })

  it('defaults: scope = allowed scopes when omitted, refresh_token_ttl 0 removes the refresh grant, access_token_ttl echoed', async () => {
    const a = await registered(s, { redirect_uris: ['https://localhost/cb'] })
    expect(a.scope).toBe(s.config.registration.allowedScopes.join(' '))
    const b = await registered(s, web({ refresh_token_ttl: 0, access_token_ttl: 120 }))
    expect(b.grant_types).toEqual(['authorization_code'])
    expect(b.refresh_token_ttl).toBe(0)
    expect(b.access_token_ttl).toBe(120)
  })

  it('two registrations get different ids and secrets', async () => {
    const a = await registered(s)
    const b = await registered(s)
    expect(a.client_id).not.toBe(b.client_id)
    expect(a.client_secret).not.toBe(b.client_secret)
  })

  it('scopePolicy remove drops disallowed scopes visibly', async () => {
    const r = await start({ config: { registration: { scopePolicy: 'remove' } } })
    try {
      const c = await registered(r, web({ scope: 'openid harness-unknown-scope' }))
      expect(c.scope).toBe('openid')
    } finally {
      await r.close()
    }
  })
})

describe('initial access token', () => {
  it('missing: 401 Bearer challenge without error attribute', async () => {
    const r = await registerRaw(s, webClient)
    expect(r.status).toBe(401)
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer /)
    expect(r.headers.get('www-authenticate')).not.toMatch(/error=/)
  })

  it('unknown: 401 invalid_token', async () => {
    const r = await registerRaw(s, webClient, 'no-such-token')
    expect(r.status).toBe(401)
    expect(r.headers.get('www-authenticate')).toMatch(/error="invalid_token"/)
  })

  it('without the dcr scope: 403 insufficient_scope', async () => {
    const r = await registerRaw(s, webClient, await iat(s, 'read'))
    expect(r.status).toBe(403)
    expect(r.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/)
  })

  it('in the query or in both places: refused with 400 invalid_request, never accepted', async () => {
    const t = await iat(s)
    const query = await send(`${ep(s).register}?access_token=${t}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(webClient),
    })
    expect(query.status).toBe(400)
    const both = await send(`${ep(s).register}?access_token=${t}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${t}` },
      body: JSON.stringify(webClient),
    })
    expect(both.status).toBe(400)
    expect(both.body.error).toBe('invalid_request')
    // The token was never used, so it still registers once.
    expect((await registerRaw(s, webClient, t)).status).toBe(201)
  })

  it('a failed registration consumes the IAT (consumeIatOnFailure default true)', async () => {
    const t = await iat(s)
    expect((await registerRaw(s, { redirect_uris: ['https://localhost/cb#x'] }, t)).status).toBe(
      400,
    )
    expect((await registerRaw(s, webClient, t)).status).toBe(401)
  })

  it('consumeIatOnFailure false keeps the IAT after a failed registration', async () => {
    const r = await start({ config: { registration: { consumeIatOnFailure: false } } })
    try {
      const t = await iat(r)
      expect((await registerRaw(r, { redirect_uris: ['https://localhost/cb#x'] }, t)).status).toBe(
        400,
      )
      expect((await registerRaw(r, webClient, t)).status).toBe(201)
      expect((await registerRaw(r, webClient, t)).status).toBe(401)
    } finally {
      await r.close()
    }
  })

  it('a token of a client that may not register (the dcrm manager) is not an IAT', async () => {
    const t = await tokenRequest(
      s,
      { grant_type: 'client_credentials', scope: 'dcrm' },
      { authorization: basic(s.managementClient.client_id, s.managementClient.client_secret) },
    )
    expect(t.status).toBe(200)
    const r = await registerRaw(s, webClient, t.body.access_token)
    expect(r.status).toBe(401)
    expect(r.headers.get('www-authenticate')).toMatch(/error="invalid_token"/)
  })

  it('the registration client cannot get the dcrm or admin scope', async () => {
    for (const scope of ['dcrm', 'admin', 'dcr admin']) {
      const t = await tokenRequest(
        s,
        { grant_type: 'client_credentials', scope },
        {
          authorization: basic(s.registrationClient.client_id, s.registrationClient.client_secret),
        },
      )
      expect(t.status, scope).toBe(400)
      expect(t.body.error).toBe('invalid_scope')
    }
  })

  it('open registration (authentication none) needs no token', async () => {
    const r = await start({ config: { registration: { authentication: 'none' } } })
    try {
      expect((await registerRaw(r, webClient)).status).toBe(201)
      // The built-in target's adapter says so in the suite's capability names.
      const capabilities = capabilitiesFor(r.config)
      expect(capabilities).toContain('open_registration')
      expect(capabilities).not.toContain('iat_required')
    } finally {
      await r.close()
    }
  })
})

describe('software statements and templates', () => {
  const key = (name: string) =>
    JSON.parse(readFileSync(new URL(`../../fixtures/keys/${name}`, import.meta.url), 'utf8')) as JWK
  const sign = async (file: string, claims: Json) => {
    const jwk = key(file)
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: jwk.kid! })
      .setIssuedAt()
      .sign(await importJWK(jwk, 'ES256'))
  }

  it('trusted statement: claims win, are echoed at top level, statement echoed unchanged', async () => {
    const jwt = await sign('ssa-trusted.private.jwk.json', {
      iss: 'https://ssa-issuer.test',
      client_name: 'SSA',
      software_id: 'ssa-software',
    })
    const c = await registered(s, web({ client_name: 'Body', software_statement: jwt }))
    expect(c.client_name).toBe('SSA')
    expect(c.software_id).toBe('ssa-software')
    expect(c.software_statement).toBe(jwt)
  })

  it('untrusted key: unapproved_software_statement; no iss, expired, tampered, unsigned, not a JWT: invalid_software_statement', async () => {
    const cases: [string, string][] = [
      [
        await sign('ssa-untrusted.private.jwk.json', { iss: 'https://ssa-issuer.test' }),
        'unapproved_software_statement',
      ],
      [
        await sign('ssa-trusted.private.jwk.json', { client_name: 'no iss' }),
        'invalid_software_statement',
      ],
      [
        await sign('ssa-trusted.private.jwk.json', {
          iss: 'x',
          exp: Math.floor(Date.now() / 1000) - 3600,
        }),
        'invalid_software_statement',
      ],
      ['not.a.jwt', 'invalid_software_statement'],
      ['eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.', 'invalid_software_statement'],
    ]
    const good = await sign('ssa-trusted.private.jwk.json', { iss: 'x', client_name: 'A' })
    const [h, , sig] = good.split('.')
    cases.push([
      `${h}.${Buffer.from('{"iss":"x","client_name":"B"}').toString('base64url')}.${sig}`,
      'invalid_software_statement',
    ])
    for (const [jwt, code] of cases) {
      const r = await register(s, web({ software_statement: jwt }))
      expect(r.status, jwt).toBe(400)
      expect(r.body.error, jwt).toBe(code)
    }
  })

  it('templatized registration copies the template with a fresh id and secret', async () => {
    const template = s.config.templates[0]!
    const c = await registered(s, { software_id: template.client_id })
    expect(c.client_id).not.toBe(template.client_id)
    expect(c.client_secret).toEqual(expect.any(String))
    expect(c.redirect_uris).toEqual(template.redirect_uris)
    expect(c.scope).toBe(template.scope)
    expect(c.grant_types).toEqual(template.grant_types)
    expect(c.software_id).toBe(template.client_id)
  })

  it('templatized-only mode refuses an unknown template with invalid_client_metadata', async () => {
    const r = await start({ config: { registration: { mode: 'templatized' } } })
    try {
      const bad = await register(r, { software_id: 'harness-unknown-template', ...webClient })
      expect(bad.status).toBe(400)
      expect(bad.body.error).toBe('invalid_client_metadata')
      expect((await register(r, webClient)).status).toBe(400)
      expect((await register(r, { software_id: 'template-web' })).status).toBe(201)
    } finally {
      await r.close()
    }
  })
})

describe('URLs with control characters', () => {
  it('are refused (the URL parser would silently drop them)', async () => {
    const a = await register(s, { redirect_uris: ['https://localhost/cb\r\nSet-Cookie: x=1'] })
    expect(a.status).toBe(400)
    expect(a.body.error).toBe('invalid_redirect_uri')
    const b = await register(s, web({ logo_uri: 'https://localhost/lo\tgo.png' }))
    expect(b.status).toBe(400)
    expect(b.body.error).toBe('invalid_client_metadata')
  })
})
