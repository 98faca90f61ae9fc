/**
 * Acceptance 3: a corpus of malformed and hostile requests across all endpoints (generated from
 * type matrices plus hand-written cases) produces 4xx with OAuth error bodies, never a 5xx, and
 * the process keeps serving.
 */
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReferenceServer } from '../../reference-server/index.ts'
import { memberTypes } from '../../reference-server/registration/members.ts'
import { basic, ep, registered, send, start } from './helpers.ts'
import type { Reply } from './helpers.ts'

interface Case {
  name: string
  url: string
  init?: Parameters<typeof send>[1]
  /** Extra assertion on the reply. */
  check?: (r: Reply) => void
}

/** A POST of `body`, a form unless `contentType` says otherwise. */
function postCase(
  name: string,
  url: string,
  body: string,
  headers: Record<string, string> = {},
  contentType = 'application/x-www-form-urlencoded',
): Case {
  const init = { method: 'POST', headers: { 'content-type': contentType, ...headers }, body }
  return { name, url, init }
}

const token = 'corpus-static-iat'
let s: ReferenceServer
let client: Record<string, any>

beforeAll(async () => {
  s = await start({
    config: {
      registration: { staticInitialAccessToken: token },
      limits: { headersTimeoutMs: 800, requestTimeoutMs: 1500 },
    },
  })
  client = await registered(s)
})
afterAll(async () => {
  await s.close()
})

const wrongValues: Record<string, unknown[]> = {
  string: [null, 42, true, ['x'], { a: 1 }, 1.5],
  'string[]': [null, 'https://localhost/cb', 42, [1], [null], [['nested']], { 0: 'x' }, [{}], true],
  integer: [null, '60', 1.5, true, [], {}, -1, 1e308],
  boolean: [null, 'true', 1, [], {}],
  object: [null, 'x', 42, [], { keys: 'x' }, { keys: [1] }, { keys: [{ kty: 'oct', k: 'AAAA' }] }],
}

function registrationCases(): Case[] {
  const cases: Case[] = []
  const base = { redirect_uris: ['https://localhost/cb'], scope: 'openid' }
  for (const [member, type] of Object.entries(memberTypes)) {
    for (const value of wrongValues[type] ?? []) {
      if (type === 'integer' && value === -1 && member === 'default_max_age') continue
      cases.push({
        name: `register ${member}=${JSON.stringify(value)}`,
        url: ep(s).register,
        init: {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ ...base, [member]: value }),
        },
      })
    }
  }
  const raw = (
    name: string,
    body: string,
    contentType = 'application/json',
    headers: Record<string, string> = {},
  ) => ({
    name,
    url: ep(s).register,
    init: {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${token}`, ...headers },
      body,
    },
  })
  cases.push(
    raw('truncated JSON', '{"redirect_uris": ["https://localhost/cb"'),
    raw('empty body', ''),
    raw('JSON array', '[1,2,3]'),
    raw('JSON string', '"hello"'),
    raw('JSON null', 'null'),
    raw('JSON number', '12'),
    raw('BOM + JSON', '\uFEFF{"redirect_uris":["https://localhost/cb"]}'),
    raw('form body', 'redirect_uris=https://localhost/cb', 'application/x-www-form-urlencoded'),
    raw('text/plain', JSON.stringify(base), 'text/plain'),
    raw('no content type', JSON.stringify(base), ''),
    raw('deeply nested', `${'['.repeat(50_000)}${']'.repeat(50_000)}`),
    raw(
      'proto pollution',
      '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},"redirect_uris":["https://localhost/cb"],"scope":"openid"}',
    ),
    raw(
      'invalid UTF-8',
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]).toString('latin1'),
    ),
    raw('huge body', JSON.stringify({ ...base, client_name: 'x'.repeat(70 * 1024) })),
    raw(
      'huge array',
      JSON.stringify({
        ...base,
        contacts: Array.from({ length: 5000 }, (_, i) => `c${i}@example.com`),
      }),
    ),
    raw('redirect javascript', JSON.stringify({ ...base, redirect_uris: ['javascript:alert(1)'] })),
    raw(
      'redirect with CRLF',
      JSON.stringify({ ...base, redirect_uris: ['https://localhost/cb\r\nSet-Cookie: x=1'] }),
    ),
    raw('redirect empty string', JSON.stringify({ ...base, redirect_uris: [''] })),
    raw(
      'redirect very long',
      JSON.stringify({ ...base, redirect_uris: [`https://localhost/${'a'.repeat(20_000)}`] }),
    ),
    raw('unicode host', JSON.stringify({ ...base, redirect_uris: ['https://exämple.com/cb'] })),
    raw('software_statement garbage', JSON.stringify({ ...base, software_statement: 'a.b.c' })),
    raw(
      'software_statement non-JSON payload',
      JSON.stringify({ ...base, software_statement: 'eyJhbGciOiJFUzI1NiJ9.bm90LWpzb24.c2ln' }),
    ),
    raw(
      'software_statement alg none',
      JSON.stringify({ ...base, software_statement: 'eyJhbGciOiJub25lIn0.eyJpc3MiOiJ4In0.' }),
    ),
    raw(
      'sector_identifier_uri unreachable',
      JSON.stringify({
        ...base,
        subject_type: 'pairwise',
        sector_identifier_uri: 'https://127.0.0.1:1/sector',
      }),
    ),
    raw('bearer with spaces', JSON.stringify(base), 'application/json', {
      authorization: 'Bearer a b c',
    }),
    raw('bearer empty', JSON.stringify(base), 'application/json', { authorization: 'Bearer ' }),
    raw('basic instead of bearer', JSON.stringify(base), 'application/json', {
      authorization: 'Basic Zm9vOmJhcg==',
    }),
    raw('bearer with non-ascii', JSON.stringify(base), 'application/json', {
      authorization: 'Bearer tök',
    }),
  )
  cases.push({
    name: 'IAT in the query',
    url: `${ep(s).register}?access_token=${token}`,
    init: {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(base),
    },
  })
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'PROPFIND']) {
    cases.push({
      name: `${method} on the registration endpoint`,
      url: ep(s).register,
      init: { method },
      check: (r) => expect(r.headers.get('allow')).toBe('POST, OPTIONS'),
    })
  }
  cases.push({
    name: 'CORS preflight on the registration endpoint',
    url: ep(s).register,
    init: {
      method: 'OPTIONS',
      headers: { origin: 'https://spa.example', 'access-control-request-method': 'POST' },
    },
    check: (r) => expect(r.status).toBe(204),
  })
  return cases
}

function tokenCases(): Case[] {
  const cases: Case[] = []
  const form = (name: string, body: string, headers?: Record<string, string>, type?: string) =>
    postCase(`token ${name}`, ep(s).token, body, headers, type)
  const auth = { authorization: basic(client.client_id, client.client_secret) }
  const grants = [
    'authorization_code',
    'client_credentials',
    'refresh_token',
    'password',
    'implicit',
    'urn:x',
    '',
    'x'.repeat(5000),
  ]
  for (const grant of grants) {
    cases.push(
      form(
        `grant ${grant.slice(0, 20)} no params`,
        `grant_type=${encodeURIComponent(grant)}`,
        auth,
      ),
    )
    cases.push(
      form(
        `grant ${grant.slice(0, 20)} bad code`,
        `grant_type=${encodeURIComponent(grant)}&code=nope&refresh_token=nope&redirect_uri=x`,
        auth,
      ),
    )
    cases.push(
      form(
        `grant ${grant.slice(0, 20)} duplicated`,
        `grant_type=${encodeURIComponent(grant)}&grant_type=client_credentials`,
        auth,
      ),
    )
  }
  const badBasics = [
    'Basic',
    'Basic !!!',
    'Basic Zm9v',
    'Basic ' + Buffer.from('%ZZ:%ZZ').toString('base64'),
    'Basic ' + Buffer.from(':').toString('base64'),
    'Basic ' + 'A'.repeat(8000),
    'Bearer x',
    'Digest x',
  ]
  for (const header of badBasics)
    cases.push(
      form(`auth header ${header.slice(0, 16)}`, 'grant_type=client_credentials', {
        authorization: header,
      }),
    )
  cases.push(
    form('json body', '{"grant_type":"client_credentials"}', auth, 'application/json'),
    form('no body', '', auth),
    form('no content type', 'grant_type=client_credentials', auth, ''),
    form(
      'basic + post',
      `grant_type=client_credentials&client_id=${client.client_id}&client_secret=x`,
      auth,
    ),
    form(
      'client_assertion garbage',
      'grant_type=client_credentials&client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer&client_assertion=a.b.c',
    ),
    form(
      'client_assertion wrong type',
      'grant_type=client_credentials&client_assertion_type=x&client_assertion=y',
    ),
    form('unknown client post', 'grant_type=client_credentials&client_id=nobody&client_secret=x'),
    form('percent garbage', 'grant_type=%ZZ&client_id=%&client_secret=%%'),
    form('huge body', `grant_type=client_credentials&x=${'a'.repeat(70 * 1024)}`, auth),
    form(
      'scope garbage',
      `grant_type=client_credentials&scope=${encodeURIComponent('\u0000\u0001 admin')}`,
      { authorization: basic('server', s.registrationClient.client_secret) },
    ),
    form(
      'pkce verifier garbage',
      'grant_type=authorization_code&code=x&code_verifier=' + '\u00ff'.repeat(10),
      auth,
    ),
  )
  for (const method of ['GET', 'PUT', 'DELETE'])
    cases.push({
      name: `token ${method}`,
      url: ep(s).token,
      init: { method },
      check: (r) => expect(r.headers.get('allow')).toBe('POST'),
    })
  return cases
}

function authorizeCases(): Case[] {
  const cases: Case[] = []
  const q = (name: string, params: Record<string, string> | string): Case => ({
    name: `authorize ${name}`,
    url: `${ep(s).authorize}?${typeof params === 'string' ? params : new URLSearchParams(params).toString()}`,
  })
  const good = {
    client_id: client.client_id,
    redirect_uri: 'https://localhost/callback',
    response_type: 'code',
    scope: 'openid',
    code_challenge: 'a'.repeat(43),
    code_challenge_method: 'S256',
  }
  cases.push(
    q('no params', {}),
    q('unknown client', { ...good, client_id: 'nobody' }),
    q('unregistered redirect', { ...good, redirect_uri: 'https://evil.example/cb' }),
    q('redirect not a URL', { ...good, redirect_uri: 'not a url' }),
    q('javascript redirect', { ...good, redirect_uri: 'javascript:alert(1)' }),
    q('duplicate client_id', `client_id=${client.client_id}&client_id=other`),
    q(
      'duplicate state',
      new URLSearchParams([...Object.entries(good), ['state', 'a'], ['state', 'b']]).toString(),
    ),
    q('bad percent encoding', `client_id=%ZZ&redirect_uri=%&state=%E0%A4%A`),
    q('CRLF in state', { ...good, state: 'x\r\nSet-Cookie: injected=1' }),
    q('huge state', { ...good, state: 's'.repeat(6000) }),
    q('response_type token', { ...good, response_type: 'token' }),
    q('response_type missing', { ...good, response_type: '' }),
    q('scope admin', { ...good, scope: 'openid admin' }),
    q('challenge method plain', { ...good, code_challenge_method: 'plain' }),
    q('challenge method junk', { ...good, code_challenge_method: 'harness' }),
    q('challenge malformed', { ...good, code_challenge: 'short' }),
    q('prompt none', { ...good, prompt: 'none' }),
    q('max_age junk', { ...good, max_age: '-5' }),
    q('request object', { ...good, request: 'a.b.c' }),
    q('response_mode fragment', { ...good, response_mode: 'fragment' }),
  )
  for (const method of ['PUT', 'DELETE'])
    cases.push({ name: `authorize ${method}`, url: ep(s).authorize, init: { method } })
  const login = `${s.origin}/oauth/v2/oauth-authorize/login`
  cases.push(
    postCase('login without interaction', login, 'username=alice&password=x'),
    postCase(
      'login with unknown interaction',
      login,
      'interaction=nope&username=alice&password=alice-password',
    ),
    postCase('login as JSON', login, '{}', {}, 'application/json'),
    { name: 'login GET', url: login },
  )
  return cases
}

function otherCases(): Case[] {
  const rcu = (id: string) => `${ep(s).register}/${id}`
  // The client's own registration access token (RFC 7592 §3), alone or with a JSON body.
  const rat = { authorization: `Bearer ${client.registration_access_token}` }
  const json = { ...rat, 'content-type': 'application/json' }
  const cases: Case[] = [
    { name: 'config no token', url: rcu(client.client_id) },
    {
      name: 'config random token',
      url: rcu(client.client_id),
      init: { headers: { authorization: 'Bearer nope' } },
    },
    {
      name: 'config bad percent id',
      url: rcu('%ZZ'),
      init: { headers: rat },
    },
    {
      name: 'config nested path',
      url: `${rcu(client.client_id)}/extra`,
      init: { headers: rat },
    },
    {
      name: 'config long id',
      url: rcu('x'.repeat(4000)),
      init: { headers: rat },
    },
    {
      name: 'config PATCH',
      url: rcu(client.client_id),
      init: { method: 'PATCH', headers: rat },
      check: (r) => expect(r.status).toBe(405),
    },
    {
      name: 'config POST',
      url: rcu(client.client_id),
      init: { method: 'POST', headers: rat },
      check: (r) => expect(r.status).toBe(405),
    },
    {
      name: 'config PUT garbage',
      url: rcu(client.client_id),
      init: { method: 'PUT', headers: json, body: '{"client_id":' },
    },
    {
      name: 'config PUT array',
      url: rcu(client.client_id),
      init: { method: 'PUT', headers: json, body: '[]' },
    },
    {
      name: 'config token in query',
      url: `${rcu(client.client_id)}?access_token=${client.registration_access_token}`,
    },
    { name: 'userinfo no token', url: ep(s).userinfo },
    {
      name: 'userinfo bad token',
      url: ep(s).userinfo,
      init: { headers: { authorization: 'Bearer nope' } },
    },
    { name: 'userinfo token in query', url: `${ep(s).userinfo}?access_token=x` },
    { name: 'userinfo DELETE', url: ep(s).userinfo, init: { method: 'DELETE' } },
    {
      name: 'userinfo huge POST',
      url: ep(s).userinfo,
      init: { method: 'POST', headers: { authorization: 'Bearer x' }, body: 'a'.repeat(70 * 1024) },
    },
    postCase('introspect unauthenticated', ep(s).introspect, 'token=x'),
    postCase('introspect no token', ep(s).introspect, '', {
      authorization: basic(client.client_id, client.client_secret),
    }),
    postCase('revoke unauthenticated', ep(s).revoke, 'token=x'),
    { name: 'revoke GET', url: ep(s).revoke },
    { name: 'jwks POST', url: ep(s).jwks, init: { method: 'POST', body: '{}' } },
    { name: 'discovery DELETE', url: ep(s).discovery, init: { method: 'DELETE' } },
    { name: 'unknown path', url: `${s.origin}/nope`, check: (r) => expect(r.status).toBe(404) },
    { name: 'dot segments', url: `${s.origin}/oauth/v2/../../etc/passwd` },
    { name: 'encoded slash', url: `${s.origin}/oauth%2Fv2%2Foauth-token` },
    { name: 'root', url: `${s.origin}/` },
    {
      name: 'header injection attempt',
      url: ep(s).discovery,
      init: { headers: { 'x-forwarded-host': 'evil.example', host: 'evil.example' } },
    },
  ]
  return cases
}

/** Raw socket probes: malformed HTTP and slow clients (answers come from the server's limits). */
async function rawExchange(payload: string, waitForClose = true): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(s.port, '127.0.0.1')
    let data = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk) => (data += chunk))
    socket.on('error', reject)
    socket.on('close', () => resolve(data))
    socket.write(payload)
    if (!waitForClose) setImmediate(() => socket.end())
  })
}

/** Sends every case to the current server; returns the number of cases and the problems found. */
async function runCorpus(): Promise<{ count: number; failures: string[] }> {
  const cases = [...registrationCases(), ...tokenCases(), ...authorizeCases(), ...otherCases()]
  const failures: string[] = []
  for (const c of cases) {
    const r = await send(c.url, c.init)
    if (r.status >= 500) failures.push(`${c.name}: ${r.status} ${r.text.slice(0, 200)}`)
    if (
      r.status >= 400 &&
      (r.headers.get('content-type') ?? '').includes('json') &&
      typeof r.body?.error !== 'string'
    ) {
      failures.push(`${c.name}: ${r.status} without an OAuth error body`)
    }
    if (
      r.status >= 400 &&
      r.status < 500 &&
      !(r.headers.get('content-type') ?? '').match(/json|html/)
    ) {
      failures.push(`${c.name}: ${r.status} with content-type ${r.headers.get('content-type')}`)
    }
    if (r.headers.get('set-cookie')?.includes('injected'))
      failures.push(`${c.name}: header injection`)
    c.check?.(r)
  }
  return { count: cases.length, failures }
}

describe('hostile corpus', () => {
  it('has at least 200 cases and never gets a 5xx', async () => {
    const { count, failures } = await runCorpus()
    expect(count).toBeGreaterThanOrEqual(200)
    expect(failures).toEqual([])
    // Still alive and serving.
    expect((await send(ep(s).discovery)).status).toBe(200)
  })

  it('detects a server that answers 5xx (the corpus can fail)', async () => {
    const saved = { s, client }
    s = await start({
      faults: ['5xx-on-wrong-types'],
      config: { registration: { staticInitialAccessToken: token } },
    })
    try {
      client = await registered(s)
      const { failures } = await runCorpus()
      expect(failures.length).toBeGreaterThan(10)
      expect(failures.every((f) => f.includes(': 500'))).toBe(true)
    } finally {
      await s.close()
      ;({ s, client } = saved)
    }
  })

  it('an exception in a handler becomes a 500 JSON answer and one JSON log line, and the server keeps serving', async () => {
    const faulty = await start({
      faults: ['5xx-on-wrong-types'],
      config: { log: 'errors', registration: { staticInitialAccessToken: token } },
    })
    const lines: string[] = []
    const original = process.stderr.write.bind(process.stderr)
    process.stderr.write = ((chunk: string | Uint8Array) => (
      lines.push(String(chunk)),
      true
    )) as typeof process.stderr.write
    try {
      const r = await send(ep(faulty).register, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ redirect_uris: 'x' }),
      })
      expect(r.status).toBe(500)
      expect(r.body).toEqual({ error: 'server_error', error_description: 'internal error' })
    } finally {
      process.stderr.write = original
    }
    const entry = JSON.parse(lines.find((l) => l.includes('handler_exception'))!)
    expect(entry).toMatchObject({
      level: 'error',
      event: 'handler_exception',
      method: 'POST',
      path: '/oauth/v2/oauth-dynamic-client-registration',
    })
    expect((await send(ep(faulty).discovery)).status).toBe(200)
    await faulty.close()
  })

  it('registration errors name the offending member', async () => {
    const r = await send(ep(s).register, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ redirect_uris: ['https://localhost/cb'], default_max_age: 'soon' }),
    })
    expect(r.status).toBe(400)
    expect(r.body).toEqual({
      error: 'invalid_client_metadata',
      error_description: expect.stringContaining('default_max_age'),
    })
  })

  it('a body over 64 KiB gets 413 with an OAuth error', async () => {
    const r = await send(ep(s).register, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ client_name: 'x'.repeat(65 * 1024) }),
    })
    expect(r.status).toBe(413)
    expect(r.body.error).toBe('invalid_request')
  })

  it('malformed HTTP gets a 400 JSON answer', async () => {
    const answer = await rawExchange('GARBAGE / NOT-HTTP\r\n\r\n')
    expect(answer).toMatch(/^HTTP\/1\.1 400/)
    expect(answer).toContain('"error":"invalid_request"')
  })

  it('a slow client that never finishes its headers is cut off by the server', async () => {
    const answer = await rawExchange(
      `GET ${ep(s).discovery.slice(s.origin.length)} HTTP/1.1\r\nHost: x\r\n`,
      true,
    )
    expect(answer).toMatch(/^HTTP\/1\.1 408|^$/)
    expect((await send(ep(s).discovery)).status).toBe(200)
  })
})
