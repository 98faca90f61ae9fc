/** Acceptance 1: the Curity non-templatized walk-through, scripted exactly. */
import { describe, expect, it } from 'vitest'
import { createLocalJWKSet, jwtVerify } from 'jose'
import { basic, ep, pkcePair, registerRaw, send, startForFile, tokenRequest } from './helpers.ts'

const s = await startForFile()

describe('seed walk-through', () => {
  it('IAT, registration, one-time IAT, login through the HTML page, code redemption, verified ID token', async () => {
    // 1. IAT by client_credentials with scope dcr
    const tokenReply = await tokenRequest(
      s,
      { grant_type: 'client_credentials', scope: 'dcr' },
      { authorization: basic('server', s.registrationClient.client_secret) },
    )
    expect(tokenReply.status).toBe(200)
    expect(tokenReply.body).toEqual({
      access_token: expect.any(String),
      scope: 'dcr',
      token_type: 'Bearer',
      expires_in: 300,
    })
    expect(tokenReply.headers.get('cache-control')).toBe('no-store')
    const iat = tokenReply.body.access_token as string

    // 2. Register with just redirect_uris and scope
    const metadata = { redirect_uris: ['https://localhost/callback'], scope: 'openid' }
    const reg = await registerRaw(s, metadata, iat)
    expect(reg.status).toBe(201)
    expect(reg.headers.get('cache-control')).toBe('no-store')
    const client = reg.body
    const now = Math.floor(Date.now() / 1000)
    expect(client).toMatchObject({
      client_id: expect.any(String),
      client_secret: expect.any(String),
      client_secret_expires_at: 0,
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      subject_type: 'public',
      id_token_signed_response_alg: 'RS256',
      default_acr_values: s.config.registration.defaultAcrValues,
      refresh_token_ttl: 3600,
      scope: 'openid',
      redirect_uris: ['https://localhost/callback'],
      application_type: 'web',
      registration_access_token: expect.any(String),
      registration_client_uri: `${ep(s).register}/${client.client_id}`,
    })
    expect(Math.abs(client.client_id_issued_at - now)).toBeLessThan(60)

    // 3. The same IAT again: 401 invalid_token
    const again = await registerRaw(s, metadata, iat)
    expect(again.status).toBe(401)
    expect(again.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/)
    expect(again.body.client_id).toBeUndefined()

    // 4. Authorization request -> HTML login page -> form POST -> redirect with code
    const { verifier, challenge } = pkcePair()
    const authUrl = new URL(ep(s).authorize)
    authUrl.search = new URLSearchParams({
      client_id: client.client_id,
      redirect_uri: 'https://localhost/callback',
      response_type: 'code',
      scope: 'openid',
      state: 'walkthrough-state',
      nonce: 'walkthrough-nonce',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString()
    const loginPage = await send(authUrl.href)
    expect(loginPage.status).toBe(200)
    expect(loginPage.headers.get('content-type')).toMatch(/text\/html/)
    expect(loginPage.text).toMatch(/<label for="username">Username<\/label>/)
    expect(loginPage.text).toMatch(/<label for="password">Password<\/label>/)
    expect(loginPage.text).toMatch(/<button type="submit">Login<\/button>/)
    expect(loginPage.headers.get('x-frame-options')).toBe('DENY')
    const action = /<form method="post" action="([^"]+)"/.exec(loginPage.text)![1]!
    const interaction = /name="interaction" value="([^"]+)"/.exec(loginPage.text)![1]!
    // The page binds the login attempt to this browser with a cookie; a browser sends it back.
    const cookie = loginPage.headers.get('set-cookie')!.split(';')[0]!
    const form = new URLSearchParams({ interaction, username: 'alice', password: 'alice-password' })
    const loginUrl = new URL(action, s.origin).href
    const withoutCookie = await send(loginUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    })
    expect(withoutCookie.status).toBe(400)
    const posted = await send(loginUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: form.toString(),
    })
    expect(posted.status).toBe(303)
    expect(posted.headers.get('set-cookie')).toMatch(/dcr_session=/)
    const location = new URL(posted.headers.get('location')!)
    expect(`${location.origin}${location.pathname}`).toBe('https://localhost/callback')
    expect(location.searchParams.get('state')).toBe('walkthrough-state')
    expect(location.searchParams.get('iss')).toBe(s.issuer)
    const code = location.searchParams.get('code')!

    // 5. Redeem the code with the issued secret (client_secret_basic)
    const tokens = await tokenRequest(
      s,
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: 'https://localhost/callback',
        code_verifier: verifier,
      },
      { authorization: basic(client.client_id, client.client_secret) },
    )
    expect(tokens.status).toBe(200)
    expect(tokens.body).toMatchObject({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 300,
      refresh_token: expect.any(String),
      id_token: expect.any(String),
    })

    // 6. The ID token verifies against the published JWKS
    const jwks = await send(ep(s).jwks)
    const { payload, protectedHeader } = await jwtVerify(
      tokens.body.id_token,
      createLocalJWKSet(jwks.body),
      {
        issuer: s.issuer,
        audience: client.client_id,
      },
    )
    expect(protectedHeader.alg).toBe('RS256')
    expect(payload).toMatchObject({
      sub: 'alice',
      nonce: 'walkthrough-nonce',
      azp: client.client_id,
      auth_time: expect.any(Number),
      at_hash: expect.any(String),
    })
  })
})
