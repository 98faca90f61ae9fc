/**
 * Client ID Metadata Documents end to end: a real HTTPS document server on 127.0.0.1, the
 * reference server fetching from it, the code flow and each refusal of
 * draft-ietf-oauth-client-id-metadata-document-02.
 */
import { randomUUID } from 'node:crypto'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReferenceServer } from '../../../reference-server/index.ts'
import { capabilitiesFor } from '../../../builtin/capabilities.ts'
import { authorize, ep, pkcePair, send, start, tokenRequest } from '../helpers.ts'
import { publicDocument, startDocumentServer, testCa } from './document-server.ts'
import type { DocumentServer } from './document-server.ts'
import {
  authorizeCimd,
  outcome,
  pageReason,
  publicTokenFor,
  redirectUri,
  startTrusting,
} from './helpers.ts'

function pkce() {
  return { code_challenge: pkcePair().challenge, code_challenge_method: 'S256' }
}

let docs: DocumentServer
let s: ReferenceServer
let next = 0
/** A fresh document path (each test its own, so no cache is shared). */
const fresh = (name: string) => `/clients/${name}-${++next}`

beforeAll(async () => {
  docs = await startDocumentServer()
  s = await startTrusting(docs)
})
afterAll(async () => {
  await s.close()
  await docs.close()
})

/** Publishes `doc` (default: a valid public client's) at a fresh path; returns its URL and path. */
function published(name: string, doc?: (url: string) => unknown, headers?: Record<string, string>) {
  const path = fresh(name)
  const url = docs.url(path)
  const body = doc ? doc(url) : publicDocument(url)
  docs.publish(path, { body, ...(headers ? { headers } : {}) })
  return { url, path }
}

describe('metadata (§6)', () => {
  it('advertises client_id_metadata_document_supported in both metadata documents', async () => {
    expect((await send(ep(s).discovery)).body.client_id_metadata_document_supported).toBe(true)
    expect((await send(ep(s).rfc8414)).body.client_id_metadata_document_supported).toBe(true)
  })
})

describe('the code flow with a document client', () => {
  it('fetches the document once (GET, Accept: application/json) and issues tokens', async () => {
    const { url, path } = published('ok')
    const token = await publicTokenFor(s, url)
    expect(token.status).toBe(200)
    expect(token.body.access_token).toEqual(expect.any(String))
    expect(token.body.id_token).toEqual(expect.any(String))
    // Cached for the token request (no cache headers: the server's own bound applies).
    expect(docs.count(path)).toBe(1)
    expect(docs.accepts.at(-1)).toBe('application/json')
  })

  it('shows the client name and the client_id host on the login page (§8.5)', async () => {
    const { url } = published('name')
    const r = await authorize(
      s,
      { client_id: url, redirect_uri: redirectUri, response_type: 'code', ...pkce() },
      { login: false },
    )
    expect(r.status).toBe(200)
    expect(r.page).toContain(`CIMD test client (${new URL(url).host})`)
  })

  it('requires PKCE of a public document client', async () => {
    const { url } = published('pkce')
    const none = { code_challenge: undefined, code_challenge_method: undefined }
    const r = await authorizeCimd(s, url, none)
    expect(outcome(r)).toBe('redirect-invalid_request')
    expect(r.query?.get('error_description')).toMatch(/code_challenge is required/)
  })

  it('refuses a redirect_uri not in the document, without redirecting (§4.2)', async () => {
    const { url } = published('redirect')
    const r = await authorizeCimd(s, url, { redirect_uri: 'http://127.0.0.1:4000/other' })
    expect(outcome(r)).toBe('page-400-invalid_request')
    const host = await authorizeCimd(s, url, { redirect_uri: 'https://attacker.example/callback' })
    expect(outcome(host)).toBe('page-400-invalid_request')
  })

  it('accepts another port of a loopback redirect URI (RFC 8252 §7.3)', async () => {
    const { url } = published('port')
    const r = await authorizeCimd(s, url, { redirect_uri: 'http://127.0.0.1:5555/callback' })
    expect(outcome(r)).toBe('code')
  })
})

describe('documents the rules refuse (§3, §4, §4.1)', () => {
  const cases: Array<[string, (url: string) => unknown, RegExp]> = [
    ['client_id differs from the URL', (url) => publicDocument(`${url}-other`), /does not equal/],
    [
      'client_id missing',
      (url) => ({ ...publicDocument(url), client_id: undefined }),
      /does not equal/,
    ],
    [
      'client_secret_basic',
      (url) => publicDocument(url, { token_endpoint_auth_method: 'client_secret_basic' }),
      /shared secret/,
    ],
    [
      'client_secret_post',
      (url) => publicDocument(url, { token_endpoint_auth_method: 'client_secret_post' }),
      /shared secret/,
    ],
    [
      'client_secret_jwt',
      (url) => publicDocument(url, { token_endpoint_auth_method: 'client_secret_jwt' }),
      /shared secret/,
    ],
    [
      'a client_secret member',
      (url) => publicDocument(url, { client_secret: 'x' }),
      /shared secret/,
    ],
    [
      'client_secret_expires_at',
      (url) => publicDocument(url, { client_secret_expires_at: 0 }),
      /shared secret/,
    ],
    [
      'a private key in jwks',
      (url) =>
        publicDocument(url, {
          token_endpoint_auth_method: 'private_key_jwt',
          jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', d: 'AA' }] },
        }),
      /private member/,
    ],
    [
      'private_key_jwt without keys',
      (url) => publicDocument(url, { token_endpoint_auth_method: 'private_key_jwt' }),
      /requires jwks or jwks_uri/,
    ],
    [
      'a sector_identifier_uri (never fetched unguarded)',
      (url) => publicDocument(url, { sector_identifier_uri: 'https://127.0.0.1:1/s' }),
      /sector_identifier_uri/,
    ],
  ]
  for (const [name, doc, reason] of cases) {
    it(`${name}: an error page, never a redirect`, async () => {
      const { url } = published('rules', doc)
      const r = await authorizeCimd(s, url)
      expect(outcome(r)).toBe('page-400-invalid_client')
      expect(pageReason(r)).toMatch(reason)
    })
  }

  it('a malformed Client Identifier URL is refused before any fetch (§3)', async () => {
    const before = docs.count()
    for (const id of [
      `${docs.origin}`,
      `${docs.origin}/a/../b`,
      `${docs.origin}/a#frag`,
      docs.origin.replace('https://', 'https://user@') + '/doc',
    ])
      expect(outcome(await authorizeCimd(s, id)), id).toBe('page-400-invalid_client')
    expect(docs.count()).toBe(before)
  })
})

describe('fetch failures (§5, §5.1, §8.7)', () => {
  type Publish = Parameters<DocumentServer['publish']>[1]
  const answers: Array<[string, (url: string) => Publish, RegExp]> = [
    ['a 404', () => ({ status: 404, body: 'gone' }), /status 404/],
    ['a 500 with a valid document', (url) => ({ status: 500, body: publicDocument(url) }), /500/],
    [
      'not JSON',
      () => ({ body: '<html>client</html>', headers: { 'content-type': 'text/html' } }),
      /not a JSON object/,
    ],
    ['a JSON array', (url) => ({ body: [publicDocument(url)] }), /not a JSON object/],
    ['a reset connection', () => ({ reset: true }), /failed/],
    [
      'a document over 5 KiB',
      (url) => ({ body: publicDocument(url, { client_name: 'x'.repeat(6 * 1024) }) }),
      /exceeds 5120 bytes/,
    ],
    [
      'a document over 5 KiB without Content-Length (chunked)',
      (url) => ({
        body: publicDocument(url, { client_name: 'x'.repeat(6 * 1024) }),
        headers: { 'transfer-encoding': 'chunked' },
      }),
      /exceeds 5120 bytes/,
    ],
  ]
  for (const [name, answer, reason] of answers) {
    it(`${name}: refused with an error page`, async () => {
      const path = fresh('fetch')
      docs.publish(path, answer(docs.url(path)))
      const r = await authorizeCimd(s, docs.url(path))
      expect(outcome(r)).toBe('page-400-invalid_client')
      expect(pageReason(r)).toMatch(reason)
    })
  }

  it('a document just under 5 KiB is accepted', async () => {
    const { url } = published('under', (u) => {
      const base = JSON.stringify(publicDocument(u, { client_name: '' }))
      return publicDocument(u, { client_name: 'x'.repeat(5 * 1024 - base.length) })
    })
    expect(outcome(await authorizeCimd(s, url))).toBe('code')
  })

  it('does not follow a redirect to a valid document', async () => {
    const target = published('target')
    const path = fresh('moved')
    docs.publish(path, { status: 302, headers: { location: target.url }, body: '' })
    const r = await authorizeCimd(s, docs.url(path))
    expect(outcome(r)).toBe('page-400-invalid_client')
    expect(pageReason(r)).toMatch(/redirect \(not followed\)/)
    expect(docs.count(target.path)).toBe(0)
  })

  it('gives up on a document that never arrives (timeout_ms)', async () => {
    const quick = await startTrusting(docs, { cimd: { timeout_ms: 300 } })
    try {
      const path = fresh('hang')
      docs.publish(path, { hang: true })
      const r = await authorizeCimd(quick, docs.url(path))
      expect(outcome(r)).toBe('page-400-invalid_client')
      expect(pageReason(r)).toMatch(/timed out/)
    } finally {
      await quick.close()
    }
  })

  it('does not cache an error: the document published later is used (§5.2)', async () => {
    const path = fresh('later')
    const url = docs.url(path)
    docs.publish(path, { status: 404, body: 'not yet' })
    expect(outcome(await authorizeCimd(s, url))).toBe('page-400-invalid_client')
    docs.publish(path, { body: publicDocument(url) })
    expect(outcome(await authorizeCimd(s, url))).toBe('code')
  })
})

describe('the token endpoint', () => {
  it('answers 401 invalid_client for a document client whose document is refused', async () => {
    const { url } = published('token-bad', (u) => publicDocument(`${u}-x`))
    const r = await tokenRequest(s, {
      grant_type: 'authorization_code',
      code: 'unknown',
      redirect_uri: 'http://127.0.0.1:4000/callback',
      client_id: url,
      code_verifier: 'v'.repeat(43),
    })
    expect([r.status, r.body.error]).toEqual([401, 'invalid_client'])
  })

  it('refuses client_credentials for a public document client', async () => {
    const { url } = published('cc')
    const r = await tokenRequest(s, { grant_type: 'client_credentials', client_id: url })
    expect(r.status).toBe(400)
    expect(['unauthorized_client', 'invalid_client']).toContain(r.body.error)
  })
})

describe('private_key_jwt document clients (§8.2)', () => {
  /** A client_credentials client's token request with an assertion signed by `privateKey`. */
  async function assertionToken(clientId: string, privateKey: CryptoKey) {
    const assertion = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(clientId)
      .setSubject(clientId)
      .setAudience(ep(s).token)
      .setIssuedAt()
      .setExpirationTime('2m')
      .sign(privateKey)
    return tokenRequest(s, {
      grant_type: 'client_credentials',
      scope: 'read',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    })
  }

  const confidential = (url: string, keys: Record<string, unknown>) => ({
    client_id: url,
    grant_types: ['client_credentials'],
    scope: 'read',
    token_endpoint_auth_method: 'private_key_jwt',
    ...keys,
  })

  it('authenticate with the keys of the document (jwks) or of its jwks_uri', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256')
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1' }] }
    const inline = published('pkj', (url) => confidential(url, { jwks }))
    expect((await assertionToken(inline.url, privateKey)).status).toBe(200)

    const keysPath = fresh('keys')
    docs.publish(keysPath, { body: jwks })
    const byUri = published('pkj-uri', (url) => confidential(url, { jwks_uri: docs.url(keysPath) }))
    expect((await assertionToken(byUri.url, privateKey)).status).toBe(200)
    expect(docs.count(keysPath)).toBe(1)

    const other = await generateKeyPair('ES256')
    const wrong = await assertionToken(inline.url, other.privateKey)
    expect([wrong.status, wrong.body.error]).toEqual([401, 'invalid_client'])
  })

  it('a jwks_uri on a loopback origin that is not trusted is not fetched', async () => {
    const outside = await startDocumentServer()
    try {
      outside.publish('/keys', { body: { keys: [] } })
      const keys = { jwks_uri: outside.url('/keys') }
      const doc = published('pkj-ssrf', (url) => confidential(url, keys))
      const { privateKey } = await generateKeyPair('ES256')
      const r = await assertionToken(doc.url, privateKey)
      expect([r.status, r.body.error]).toEqual([401, 'invalid_client'])
      expect(outside.count()).toBe(0)
    } finally {
      await outside.close()
    }
  })
})

describe('configuration', () => {
  it('a configured client with an https client_id is used as stored, not fetched (§7.2)', async () => {
    const path = fresh('pre')
    const url = docs.url(path)
    const pre = await start({
      config: {
        cimd: { trusted_origins: [docs.origin], ca: testCa },
        clients: [{ ...publicDocument(url), client_name: 'Pre-registered' }],
      },
    })
    try {
      expect(outcome(await authorizeCimd(pre, url))).toBe('code')
      expect(docs.count(path)).toBe(0)
    } finally {
      await pre.close()
    }
  })

  it('cimd.enabled false: no metadata flag, no capability, an https client_id is unknown', async () => {
    const { url, path } = published('off')
    const off = await start({
      config: { cimd: { enabled: false, trusted_origins: [docs.origin], ca: testCa } },
    })
    try {
      expect((await send(ep(off).discovery)).body).not.toHaveProperty(
        'client_id_metadata_document_supported',
      )
      // In the suite's capability names, as the built-in target's adapter maps the policy.
      expect(capabilitiesFor(off.config)).not.toContain('client_id_metadata_documents')
      expect(capabilitiesFor(s.config)).toContain('client_id_metadata_documents')
      const r = await authorizeCimd(off, url)
      expect([outcome(r), pageReason(r)]).toEqual(['page-400-invalid_client', 'unknown client'])
      expect(docs.count(path)).toBe(0)
    } finally {
      await off.close()
    }
  })
})
