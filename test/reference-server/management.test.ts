/** RFC 7592 client configuration endpoint, Curity rotation and dcrm management clients. */
import { describe, expect, it } from 'vitest'
import { basic, ep, iat, registered, send, start, startForFile, tokenRequest } from './helpers.ts'
import { webClient } from './helpers.ts'
import type { Json } from './helpers.ts'

const s = await startForFile()

const get = (uri: string, token?: string) =>
  send(uri, token ? { headers: { authorization: `Bearer ${token}` } } : {})
const put = (uri: string, token: string, body: Json) =>
  send(uri, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
const del = (uri: string, token?: string) =>
  send(uri, { method: 'DELETE', headers: token ? { authorization: `Bearer ${token}` } : {} })
const cc = (c: Json) =>
  tokenRequest(
    s,
    { grant_type: 'client_credentials' },
    { authorization: basic(c.client_id, c.client_secret) },
  )

describe('read', () => {
  it('GET returns the metadata and rotates RAT and secret; the old ones stop working', async () => {
    const c = await registered(s, {
      grant_types: ['client_credentials'],
      scope: 'read',
      client_name: 'A',
    })
    const r = await get(c.registration_client_uri, c.registration_access_token)
    expect(r.status).toBe(200)
    expect(r.headers.get('cache-control')).toBe('no-store')
    expect(r.body).toMatchObject({
      client_id: c.client_id,
      client_name: 'A',
      grant_types: ['client_credentials'],
      scope: 'read',
    })
    expect(r.body.registration_access_token).not.toBe(c.registration_access_token)
    expect(r.body.client_secret).not.toBe(c.client_secret)
    expect(r.body.registration_client_uri).toBe(c.registration_client_uri)
    expect((await get(c.registration_client_uri, c.registration_access_token)).status).toBe(401)
    expect((await cc(c)).status).toBe(401)
    expect((await cc(r.body)).status).toBe(200)
    expect((await get(c.registration_client_uri, r.body.registration_access_token)).status).toBe(
      200,
    )
  })

  it('no rotation when rotateOnRead is false', async () => {
    const r = await start({ config: { registration: { rotateOnRead: false } } })
    try {
      const c = await registered(r)
      const first = await get(c.registration_client_uri, c.registration_access_token)
      expect(first.body.registration_access_token).toBe(c.registration_access_token)
      expect(first.body.client_secret).toBe(c.client_secret)
      expect((await get(c.registration_client_uri, c.registration_access_token)).status).toBe(200)
    } finally {
      await r.close()
    }
  })

  it('missing, random, foreign RATs and other tokens get 401', async () => {
    const a = await registered(s)
    const b = await registered(s)
    const missing = await get(b.registration_client_uri)
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer /)
    expect(missing.headers.get('www-authenticate')).not.toMatch(/error=/)
    const random = await get(b.registration_client_uri, 'random-value')
    expect(random.status).toBe(401)
    expect(random.headers.get('www-authenticate')).toMatch(/error="invalid_token"/)
    const foreign = await get(b.registration_client_uri, a.registration_access_token)
    expect(foreign.status).toBe(401)
    expect(foreign.body.client_id).toBeUndefined()
    expect((await get(b.registration_client_uri, await iat(s))).status).toBe(401)
    expect(
      (await get(`${ep(s).register}/no-such-client`, a.registration_access_token)).status,
    ).toBe(401)
    for (const method of ['PUT', 'DELETE']) {
      expect(
        (
          await send(b.registration_client_uri, {
            method,
            headers: { authorization: `Bearer ${a.registration_access_token}` },
          })
        ).status,
      ).toBe(401)
    }
    // B is unchanged and its own RAT still works.
    expect((await get(b.registration_client_uri, b.registration_access_token)).status).toBe(200)
  })

  it('PATCH and POST get 405 with Allow', async () => {
    const c = await registered(s)
    for (const method of ['PATCH', 'POST']) {
      const r = await send(c.registration_client_uri, {
        method,
        headers: { authorization: `Bearer ${c.registration_access_token}` },
      })
      expect(r.status).toBe(405)
      expect(r.headers.get('allow')).toBe('GET, PUT, DELETE')
    }
  })
})

describe('update', () => {
  it('PUT replaces the metadata (omitted members removed, arrays replaced) and rotates', async () => {
    const c = await registered(s, {
      ...webClient,
      redirect_uris: ['https://localhost/u1', 'https://localhost/u2'],
      contacts: ['a@example.com'],
      logo_uri: 'https://localhost/logo.png',
    })
    const r = await put(c.registration_client_uri, c.registration_access_token, {
      client_id: c.client_id,
      redirect_uris: ['https://localhost/u3'],
      scope: 'openid',
      client_name: 'Renamed',
    })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({
      client_id: c.client_id,
      redirect_uris: ['https://localhost/u3'],
      client_name: 'Renamed',
    })
    expect(r.body.contacts).toBeUndefined()
    expect(r.body.logo_uri).toBeUndefined()
    expect(r.body.registration_access_token).not.toBe(c.registration_access_token)
    // u1 no longer redirects
    const authz = await send(
      `${ep(s).authorize}?${new URLSearchParams({ client_id: c.client_id, redirect_uri: 'https://localhost/u1', response_type: 'code', scope: 'openid' })}`,
    )
    expect(authz.status).toBe(400)
  })

  it('PUT refuses a missing or foreign client_id, a chosen secret, and invalid metadata, leaving the client unchanged', async () => {
    const c = await registered(s, { ...webClient, client_name: 'Before' })
    const other = await registered(s)
    let rat = c.registration_access_token
    const cases: [Json, string][] = [
      [{ ...webClient }, 'invalid_request'],
      [{ ...webClient, client_id: other.client_id }, 'invalid_request'],
      [
        { ...webClient, client_id: c.client_id, client_secret: 'harness-chosen' },
        'invalid_request',
      ],
      [
        { client_id: c.client_id, redirect_uris: ['http://rp.example.com/cb'] },
        'invalid_redirect_uri',
      ],
    ]
    for (const [body, code] of cases) {
      const r = await put(c.registration_client_uri, rat, body)
      expect(r.status, JSON.stringify(body)).toBe(400)
      expect(r.body.error).toBe(code)
    }
    const now = await get(c.registration_client_uri, rat)
    expect(now.body.client_name).toBe('Before')
    expect(now.body.redirect_uris).toEqual(webClient.redirect_uris)
    rat = now.body.registration_access_token
    expect(
      (
        await tokenRequest(
          s,
          { grant_type: 'client_credentials' },
          { authorization: basic(c.client_id, 'harness-chosen') },
        )
      ).status,
    ).toBe(401)
    expect(rat).toBeTruthy()
  })

  it('PUT with the current secret and server-managed members ignores the latter', async () => {
    const c = await registered(s, { grant_types: ['client_credentials'], scope: 'read' })
    const r = await put(c.registration_client_uri, c.registration_access_token, {
      client_id: c.client_id,
      client_secret: c.client_secret,
      grant_types: ['client_credentials'],
      scope: 'read write',
      registration_access_token: 'bogus-rat',
      registration_client_uri: 'https://evil.example/',
      client_id_issued_at: 1,
      client_secret_expires_at: 5,
    })
    expect(r.status).toBe(200)
    expect(r.body.scope).toBe('read write')
    expect(r.body.client_id_issued_at).toBe(c.client_id_issued_at)
    expect(r.body.client_secret_expires_at).toBe(0)
    expect(r.body.registration_client_uri).toBe(c.registration_client_uri)
    expect((await get(c.registration_client_uri, 'bogus-rat')).status).toBe(401)
  })
})

describe('delete', () => {
  it('DELETE answers 204; afterwards RAT, credentials, tokens and the authorization endpoint are dead', async () => {
    const c = await registered(s, {
      grant_types: ['client_credentials', 'authorization_code'],
      redirect_uris: ['https://localhost/cb'],
      scope: 'read openid',
    })
    const token = (await cc(c)).body.access_token
    const r = await del(c.registration_client_uri, c.registration_access_token)
    expect(r.status).toBe(204)
    expect(r.text).toBe('')
    expect((await get(c.registration_client_uri, c.registration_access_token)).status).toBe(401)
    const t = await cc(c)
    expect(t.status).toBe(401)
    expect(t.body.error).toBe('invalid_client')
    const introspection = await send(ep(s).introspect, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basic(s.registrationClient.client_id, s.registrationClient.client_secret),
      },
      body: new URLSearchParams({ token }).toString(),
    })
    expect(introspection.body).toEqual({ active: false })
    const authz = await send(
      `${ep(s).authorize}?${new URLSearchParams({ client_id: c.client_id, redirect_uri: 'https://localhost/cb', response_type: 'code' })}`,
    )
    expect(authz.status).toBe(400)
    expect(authz.headers.get('location')).toBeNull()
  })
})

describe('Curity management clients (dcrm)', () => {
  it('a dcrm token of the management client can GET, PUT and DELETE any dynamic client', async () => {
    const c = await registered(s)
    const t = await tokenRequest(
      s,
      { grant_type: 'client_credentials', scope: 'dcrm' },
      { authorization: basic(s.managementClient.client_id, s.managementClient.client_secret) },
    )
    expect(t.status).toBe(200)
    const dcrm = t.body.access_token
    expect((await get(c.registration_client_uri, dcrm)).status).toBe(200)
    expect(
      (
        await put(c.registration_client_uri, dcrm, {
          ...webClient,
          client_id: c.client_id,
          client_name: 'managed',
        })
      ).body.client_name,
    ).toBe('managed')
    expect((await del(c.registration_client_uri, dcrm)).status).toBe(204)
    // Static clients are not manageable.
    expect((await get(`${ep(s).register}/server`, dcrm)).status).toBe(401)
  })
})
