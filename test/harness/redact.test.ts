import { describe, expect, it } from 'vitest'
import {
  createRedactor,
  isCredentialName,
  JWK_PRIVATE_MEMBER_NAMES,
  MIN_LEARNED_LENGTH,
  REDACTED,
  SECRET_HEADER_NAMES,
  SECRET_MEMBER_NAMES,
} from '../../harness/redact.ts'
import { isStrongSecret } from '../../harness/redact-learned.ts'
import type { Exchange } from '../../harness/model/result.ts'

const JWT =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJhbGljZSIsImF1ZCI6ImNsaWVudCJ9.c2lnbmF0dXJlLXNlY3JldC14eXo'

const STATEMENT = 'eyJhbGciOiJSUzI1NiJ9.eyJzb2Z0d2FyZV9pZCI6IjEyMyJ9.c3RhdGVtZW50LXNpZ25hdHVyZQ'

function exchange(
  partial: Partial<Exchange['request']>,
  response?: Partial<NonNullable<Exchange['response']>>,
): Exchange {
  return {
    request: { method: 'POST', url: 'https://as.test/x', headers: {}, ...partial },
    ...(response ? { response: { status: 200, headers: {}, ...response } } : {}),
    durationMs: 1,
  }
}

describe('the redaction lists', () => {
  it('name every secret docs/redaction.md lists and keep public members out', () => {
    for (const name of [
      'initial_access_token',
      'access_token',
      'client_secret',
      'registration_access_token',
      'code',
      'code_verifier',
      'refresh_token',
      'id_token',
      'password',
      'client_assertion',
      'token',
    ]) {
      expect(SECRET_MEMBER_NAMES).toContain(name)
    }
    expect(SECRET_MEMBER_NAMES).not.toContain('software_statement')
    expect(SECRET_MEMBER_NAMES).not.toContain('client_id')
    expect(SECRET_MEMBER_NAMES).not.toContain('token_type')
    expect([...SECRET_HEADER_NAMES].sort()).toEqual([
      'authorization',
      'cookie',
      'proxy-authorization',
      'set-cookie',
    ])
    expect([...JWK_PRIVATE_MEMBER_NAMES].sort()).toEqual([
      'd',
      'dp',
      'dq',
      'k',
      'oth',
      'p',
      'q',
      'qi',
    ])
    expect(Object.isFrozen(SECRET_MEMBER_NAMES)).toBe(true)
  })
})

describe('headers', () => {
  it('keeps the scheme of Authorization and Proxy-Authorization', () => {
    const redactor = createRedactor()
    const out = redactor.redactExchange(
      exchange({
        headers: {
          Authorization: 'Bearer abc.def-ghi',
          'proxy-authorization': 'Basic dXNlcjpwYXNzd29yZA==',
        },
      }),
    )
    expect(out.request.headers.Authorization).toBe(`Bearer ${REDACTED}`)
    expect(out.request.headers['proxy-authorization']).toBe(`Basic ${REDACTED}`)
  })

  it('learns the client secret inside Basic credentials (form-encoded, RFC 6749 §2.3.1)', () => {
    const redactor = createRedactor()
    const basic = Buffer.from('client-1:s3cr%2Bet%2Fvalue').toString('base64')
    redactor.redactExchange(exchange({ headers: { authorization: `Basic ${basic}` } }))
    expect(redactor.redactText('the secret s3cr+et/value leaked')).toBe(
      `the secret ${REDACTED} leaked`,
    )
    expect(redactor.redactText('client-1 is public')).toBe('client-1 is public')
  })

  it('redacts cookie values and keeps names and attributes', () => {
    const redactor = createRedactor()
    const out = redactor.redactExchange(
      exchange(
        { headers: { cookie: 'sid=abc123xyz; theme=dark' } },
        {
          headers: {
            'set-cookie':
              'sid=new-session-1; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly, csrf=tok-999; Secure',
          },
        },
      ),
    )
    expect(out.request.headers.cookie).toBe(`sid=${REDACTED}; theme=${REDACTED}`)
    expect(out.response?.headers['set-cookie']).toBe(
      `sid=${REDACTED}; Path=/; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly, csrf=${REDACTED}; Secure`,
    )
    expect(redactor.redactText('cookie new-session-1 again')).toBe(`cookie ${REDACTED} again`)
  })

  it('redacts a cookie value that an attribute of the same Set-Cookie repeats', () => {
    const handle = 'ifoKzxQ3v9m1sLr0aB7cD2eF4gH6iJ8kL0mN2pR4tV6'
    const out = createRedactor().redactExchange(
      exchange(
        {},
        { headers: { 'set-cookie': `_interaction=${handle}; path=/interaction/${handle}; httponly` } },
      ),
    )
    expect(out.response?.headers['set-cookie']).toBe(
      `_interaction=${REDACTED}; path=/interaction/${REDACTED}; httponly`,
    )
  })

  it('redacts a short or letters-only cookie value an attribute repeats, and nothing more', () => {
    const out = createRedactor().redactExchange(
      exchange(
        {},
        {
          headers: {
            'set-cookie': 'sid=Short7x; path=/s/Short7x; domain=Short7xample.test, t=abcdefghij; path=/abcdefghij/x',
          },
        },
      ),
    )
    expect(out.response?.headers['set-cookie']).toBe(
      `sid=${REDACTED}; path=/s/${REDACTED}; domain=Short7xample.test, t=${REDACTED}; path=/${REDACTED}/x`,
    )
  })

  it('takes a letters-only word after a bare scheme for prose, whatever its length', () => {
    const redactor = createRedactor()
    const text = 'use Bearer AuthorizationServerMetadata first'
    expect(redactor.redactText(text)).toBe(text)
    expect(redactor.redactText('the AuthorizationServerMetadata document')).toBe(
      'the AuthorizationServerMetadata document',
    )
    expect(redactor.redactText('Bearer v-tBmOj40JCPcwnSCLbk8VfD')).toBe(`Bearer ${REDACTED}`)
  })

  it('redacts codes in a Location header and leaves challenges alone', () => {
    const redactor = createRedactor()
    const out = redactor.redactExchange(
      exchange(
        {},
        {
          status: 302,
          headers: {
            location: 'https://127.0.0.1:9/cb?code=SplxlOBeZQQYbYS6WxSbIA&state=xyz',
            'www-authenticate': 'Bearer realm="example", error="invalid_token"',
          },
        },
      ),
    )
    expect(out.response?.headers.location).toBe(`https://127.0.0.1:9/cb?code=${REDACTED}&state=xyz`)
    expect(out.response?.headers['www-authenticate']).toBe(
      'Bearer realm="example", error="invalid_token"',
    )
  })
})

describe('JSON bodies', () => {
  it('redacts every secret member, deep, in objects and arrays, and keeps the rest', () => {
    const redactor = createRedactor()
    const body = {
      client_id: 'c1',
      client_secret: 'secret-one',
      registration_access_token: 'rat-two',
      token_endpoint_auth_method: 'client_secret_basic',
      nested: [{ access_token: 'at-three' }, [{ refresh_token: 'rt-four', id_token: JWT }]],
      software_statement: STATEMENT,
      code: 'E_HTTP',
      status: 'ok',
    }
    const out = redactor.redactExchange(
      exchange(
        {},
        {
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(body),
        },
      ),
    )
    const parsed = JSON.parse(out.response?.body ?? '') as typeof body
    expect(parsed).toEqual({
      ...body,
      client_secret: REDACTED,
      registration_access_token: REDACTED,
      nested: [{ access_token: REDACTED }, [{ refresh_token: REDACTED, id_token: REDACTED }]],
    })
  })

  it('redacts private JWK members but keeps public ones', () => {
    const redactor = createRedactor()
    const jwk = {
      kty: 'RSA',
      kid: 'k1',
      n: 'modulus',
      e: 'AQAB',
      d: 'priv-d',
      p: 'priv-p',
      q: 'priv-q',
      dp: 'priv-dp',
      dq: 'priv-dq',
      qi: 'priv-qi',
    }
    const out = redactor.redactValue({ jwks: { keys: [jwk, { kty: 'oct', k: 'symmetric-key' }] } })
    expect(out.jwks.keys[0]).toEqual({
      kty: 'RSA',
      kid: 'k1',
      n: 'modulus',
      e: 'AQAB',
      d: REDACTED,
      p: REDACTED,
      q: REDACTED,
      dp: REDACTED,
      dq: REDACTED,
      qi: REDACTED,
    })
    expect(out.jwks.keys[1]).toEqual({ kty: 'oct', k: REDACTED })
    // Not a JWK: a `q` member is just a member.
    expect(redactor.redactValue({ q: 'search' })).toEqual({ q: 'search' })
  })

  it('keeps a body without secrets byte for byte', () => {
    const redactor = createRedactor()
    const body = '{ "id": 12345678901234567890,  "name": "x" }'
    const out = redactor.redactExchange(
      exchange({}, { headers: { 'content-type': 'application/json' }, body }),
    )
    expect(out.response?.body).toBe(body)
  })

  it('keeps pretty-printed bodies pretty and falls back to text for broken JSON', () => {
    const redactor = createRedactor()
    const pretty = redactor.redactExchange(
      exchange(
        {},
        {
          headers: { 'content-type': 'application/json' },
          body: '{\n  "client_secret": "abcdefg"\n}',
        },
      ),
    )
    expect(pretty.response?.body).toBe(`{\n  "client_secret": "${REDACTED}"\n}`)
    const broken = redactor.redactExchange(
      exchange(
        {},
        {
          headers: { 'content-type': 'application/json' },
          body: '{"client_secret":"zzzzzz", "x": tru',
          truncated: true,
        },
      ),
    )
    expect(broken.response?.body).toBe(`{"client_secret":"${REDACTED}", "x": tru`)
  })
})

describe('form bodies', () => {
  it('redacts every secret parameter', () => {
    const redactor = createRedactor()
    const form =
      'grant_type=authorization_code&code=c0de-value&code_verifier=v3rifier-value&client_secret=s%2Bcr3t-value' +
      '&client_assertion=' +
      JWT +
      '&refresh_token=rt-value&password=hunter22&token=tok-value&access_token=at-value&redirect_uri=https%3A%2F%2Fx%2Fcb'
    const out = redactor.redactExchange(
      exchange({ headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form }),
    )
    expect(out.request.body).toBe(
      `grant_type=authorization_code&code=${REDACTED}&code_verifier=${REDACTED}&client_secret=${REDACTED}` +
        `&client_assertion=${REDACTED}&refresh_token=${REDACTED}&password=${REDACTED}&token=${REDACTED}&access_token=${REDACTED}&redirect_uri=https%3A%2F%2Fx%2Fcb`,
    )
    // Learned decoded: the secret `s+cr3t-value` is replaced in later text.
    expect(redactor.redactText('value s+cr3t-value here')).toBe(`value ${REDACTED} here`)
  })
})

describe('URLs', () => {
  it('redacts secrets in query strings and fragments', () => {
    const redactor = createRedactor()
    const out = redactor.redactExchange(
      exchange({
        method: 'GET',
        url:
          'https://as.test/cb?state=s1&code=abcd1234#access_token=at-5678&token_type=Bearer&id_token=' +
          JWT,
      }),
    )
    expect(out.request.url).toBe(
      `https://as.test/cb?state=s1&code=${REDACTED}#access_token=${REDACTED}&token_type=Bearer&id_token=${REDACTED}`,
    )
  })
})

describe('free text', () => {
  it('replaces learned values in later strings: URLs, HTML pages, error messages', () => {
    const redactor = createRedactor()
    redactor.redactValue({ client_secret: 'learned-secret-1' })
    expect(redactor.redactText('https://x.test/?q=learned-secret-1')).toBe(
      `https://x.test/?q=${REDACTED}`,
    )
    expect(redactor.redactText('<p>Your secret: learned-secret-1</p>')).toBe(
      `<p>Your secret: ${REDACTED}</p>`,
    )
    expect(redactor.redactValue(new Error('failed with learned-secret-1')).message).toBe(
      `failed with ${REDACTED}`,
    )
  })

  it('replaces values learned explicitly, also URL- and JSON-encoded', () => {
    const redactor = createRedactor()
    redactor.learn('p@ss w/rd"x')
    expect(redactor.redactText('raw p@ss w/rd"x')).toBe(`raw ${REDACTED}`)
    expect(redactor.redactText(`url ${encodeURIComponent('p@ss w/rd"x')}`)).toBe(`url ${REDACTED}`)
    expect(redactor.redactText(`json ${JSON.stringify('p@ss w/rd"x')}`)).toBe(`json "${REDACTED}"`)
  })

  it('does not learn short values, placeholders or protocol words', () => {
    const redactor = createRedactor()
    expect(MIN_LEARNED_LENGTH).toBe(4)
    redactor.learn('abc')
    expect(redactor.redactValue({ code: 'xyz', token: 'none', password: 'Password' })).toEqual({
      code: REDACTED,
      token: REDACTED,
      password: REDACTED,
    })
    expect(redactor.redactText('abc xyz abcd, auth method none, password=')).toBe(
      'abc xyz abcd, auth method none, password=',
    )
  })

  it('redacts JWT-looking strings, names in HTML and error messages', () => {
    const redactor = createRedactor()
    expect(redactor.redactText(`token ${JWT}.`)).toBe(`token ${REDACTED}.`)
    expect(redactor.redactText('<a href="/cb?code=html-code-1&amp;state=2">go</a>')).toBe(
      `<a href="/cb?code=${REDACTED}&amp;state=2">go</a>`,
    )
    expect(redactor.redactText('<input name="x" value="1"> {"client_secret": "in-html-2"}')).toBe(
      `<input name="x" value="1"> {"client_secret": "${REDACTED}"}`,
    )
    expect(redactor.redactText('sent Authorization: Bearer abcdefgh12345 to the server')).toBe(
      `sent Authorization: Bearer ${REDACTED} to the server`,
    )
    // Error codes and hostnames are not secrets.
    expect(redactor.redactText('E_HTTP: code=ECONNREFUSED at idp.acme.test')).toBe(
      'E_HTTP: code=ECONNREFUSED at idp.acme.test',
    )
  })

  it('marks with the kind of secret when asked', () => {
    const redactor = createRedactor({ labels: true })
    expect(redactor.redactValue({ client_secret: 'labelled-1' })).toEqual({
      client_secret: '[REDACTED:client_secret]',
    })
    expect(redactor.redactText('a labelled-1 b')).toBe('a [REDACTED] b')
  })
})

describe('redactValue', () => {
  it('keeps a __proto__ header of an exchange', () => {
    const headers: Record<string, string> = {}
    Object.defineProperty(headers, '__proto__', { value: 'h', enumerable: true })
    const exchange: Exchange = { request: { method: 'GET', url: 'https://as.test/', headers }, durationMs: 0 }
    const out = createRedactor().redactExchange(exchange)
    expect(JSON.stringify(out.request.headers)).toBe('{"__proto__":"h"}')
  })

  it('keeps a __proto__ member of parsed data as a member, redacted like any other', () => {
    const input = JSON.parse('{"a": {"__proto__": {"client_secret": "s-1234567"}, "b": 1}}') as {
      a: Record<string, unknown>
    }
    const out = createRedactor().redactValue(input)
    expect(Object.getPrototypeOf(out.a)).toBe(Object.prototype)
    expect(JSON.stringify(out)).toBe('{"a":{"__proto__":{"client_secret":"[REDACTED]"},"b":1}}')
  })

  it('works on any value, deep, and never mutates its input', () => {
    const redactor = createRedactor()
    const input = {
      list: [1, true, null, undefined, 'plain', { password: 'pw-123456' }],
      when: new Date(0),
      nested: { deeper: [[{ initial_access_token: 'iat-0001' }]] },
    }
    const snapshot = structuredClone(input)
    const out = redactor.redactValue(input)
    expect(input).toEqual(snapshot)
    expect(out).not.toBe(input)
    expect(out.list).toEqual([1, true, null, undefined, 'plain', { password: REDACTED }])
    expect(out.when).toEqual(new Date(0))
    expect(out.when).not.toBe(input.when)
    expect(out.nested.deeper[0]?.[0]).toEqual({ initial_access_token: REDACTED })
  })

  it('handles cycles and shared references', () => {
    const redactor = createRedactor()
    const node: Record<string, unknown> = { client_secret: 'cyclic-secret' }
    node.self = node
    const out = redactor.redactValue({ a: node, b: [node] }) as {
      a: Record<string, unknown>
      b: unknown[]
    }
    expect(out.a.client_secret).toBe(REDACTED)
    expect(out.a.self).toBe('[Circular]')
    expect(out.b[0]).toBe(out.a)
  })

  it('redacts a secret met in a message before the member that names it (two passes)', () => {
    const redactor = createRedactor()
    const out = redactor.redactValue({
      message: 'the server echoed first-seen-secret',
      later: { client_secret: 'first-seen-secret' },
    })
    expect(out.message).toBe(`the server echoed ${REDACTED}`)
  })

  it('redacts exchanges nested in results, and check values', () => {
    const redactor = createRedactor()
    const result = {
      steps: [
        {
          checks: [
            {
              name: 'secret',
              expected: { client_secret: { $type: 'string' } },
              actual: { client_secret: 'nested-secret-9' },
            },
          ],
          exchanges: [exchange({ headers: { authorization: 'Bearer nested-token-8' } })],
        },
      ],
    }
    const out = redactor.redactValue(result)
    expect(out.steps[0]?.checks[0]?.expected).toEqual({ client_secret: { $type: 'string' } })
    expect(out.steps[0]?.checks[0]?.actual).toEqual({ client_secret: REDACTED })
    expect(out.steps[0]?.exchanges[0]?.request.headers.authorization).toBe(`Bearer ${REDACTED}`)
    expect(JSON.stringify(out)).not.toMatch(/nested-(secret|token)/)
  })

  it('is idempotent: redacting redacted output changes nothing and learns no marks', () => {
    const redactor = createRedactor()
    const input = {
      exchanges: [
        exchange(
          {
            headers: { authorization: 'Basic Y2xpZW50OnNlY3JldC12YWx1ZQ==', cookie: 'a=bbbbbb' },
            body: 'code=cccccccc',
          },
          { headers: { 'content-type': 'application/json' }, body: '{"access_token":"dddddddd"}' },
        ),
      ],
      message: `status code=500, ${JWT}`,
    }
    const once = redactor.redactValue(input)
    expect(redactor.redactValue(once)).toEqual(once)
    expect(once.message).toBe(`status code=500, ${REDACTED}`)
    expect(redactor.redactText('REDACTED [REDACTED] plain words')).toBe(
      'REDACTED [REDACTED] plain words',
    )
  })

  it('learns the secrets of a target configuration without copying it', () => {
    const redactor = createRedactor()
    redactor.learnFrom({
      name: 'acme',
      registration: {
        iat: {
          strategy: 'client_credentials',
          client_id: 'server',
          client_secret: 'target-secret-1',
        },
      },
      login: { username: 'alice', password: 'target-password-2' },
      other: { iat: { strategy: 'static', token: 'static-iat-3' } },
    })
    expect(redactor.redactText('target-secret-1 target-password-2 static-iat-3 alice server')).toBe(
      `${REDACTED} ${REDACTED} ${REDACTED} alice server`,
    )
  })
})

describe('hostile values nested thousands of levels deep', () => {
  it('a deep JSON body is redacted as text, never walked', () => {
    const redactor = createRedactor()
    redactor.learn('s3cr3t-token-value')
    const body = `{"a":${'['.repeat(4000)}"s3cr3t-token-value"${']'.repeat(4000)}}`
    const redacted = redactor.redactExchange({
      request: { method: 'GET', url: 'https://as.test/x', headers: {} },
      response: { status: 200, headers: { 'content-type': 'application/json' }, body },
      durationMs: 1,
    })
    expect(redacted.response?.body).not.toContain('s3cr3t-token-value')
  })

  it('a deep value is copied down to a depth limit, then marked (no stack overflow)', () => {
    let deep: unknown = 's3cr3t'
    for (let i = 0; i < 50_000; i++) deep = { next: deep }
    const copy = createRedactor().redactValue({ actual: deep }) as Record<string, unknown>
    let node: unknown = copy
    let levels = 0
    while (typeof node === 'object' && node !== null) {
      node = Object.values(node)[0]
      levels++
    }
    expect(node).toBe('[nested too deep]')
    expect(levels).toBe(200)
  })
})

describe('redaction by value (docs/redaction.md)', () => {
  it('tells strong values (replaced in free text) from words (never)', () => {
    for (const weak of ['secret', 'wrong', 'challenge', 'Password', 'CHALLENGE', 'credentials', 'authorization_code', 'abc1234'])
      expect(isStrongSecret(weak), weak).toBe(false)
    for (const strong of ['alice-password', 's3cr3t-value', 'Tr0ub4dor&3', 'v-tBmOj40JCPcwnSCLbk8VfD', 'dcr_login_Xy'])
      expect(isStrongSecret(strong), strong).toBe(true)
    // A token of letters only (better-auth issues 32 of them) is no word once it is this long.
    expect(isStrongSecret('Authorization'), 'Authorization').toBe(false)
    expect(isStrongSecret('FIkPIqEkpQSZEVxearVurJJSheWkQkQC')).toBe(true)
  })

  it('replaces a learned letters-only token in a check message that echoes it', () => {
    const redactor = createRedactor()
    const token = 'FIkPIqEkpQSZEVxearVurJJSheWkQkQC'
    const exchange = {
      request: { method: 'POST', url: 'https://as.example/token', headers: {} },
      response: { status: 200, headers: {}, body: { access_token: token } },
    }
    const message = `/access_token: expected absent, got "${token}"`
    const copy = redactor.redactValue({ exchanges: [exchange], checks: [{ message }] })
    expect(JSON.stringify(copy)).not.toContain(token)
  })

  it('never replaces a weak secret in prose, only where text names a credential', () => {
    const redactor = createRedactor()
    for (const word of ['secret', 'wrong', 'challenge']) redactor.learn(word)
    const prose = 'client_secret_basic: the secret is wrong, no Bearer challenge; code_challenge=xyz no-secret'
    expect(redactor.redactText(prose)).toBe(prose)
    expect(redactor.redactKnown(prose)).toBe(prose)
    expect(redactor.redactText('sent password=wrong and "client_secret": "secret"')).toBe(
      `sent password=${REDACTED} and "client_secret": "${REDACTED}"`,
    )
    // In an Authorization header line any value is a credential; after a bare scheme, a word is prose.
    expect(redactor.redactText('sent Authorization: Bearer challenge')).toBe(`sent Authorization: Bearer ${REDACTED}`)
    expect(redactor.redactText('expected a Bearer challenge')).toBe('expected a Bearer challenge')
    expect(redactor.redactValue({ password: 'wrong', note: 'wrong' })).toEqual({ password: REDACTED, note: 'wrong' })
  })

  it('replaces a strong learned value only as a whole token', () => {
    const redactor = createRedactor()
    redactor.learn('tok3n-value')
    expect(redactor.redactText('a tok3n-value. "tok3n-value" /tok3n-value?x')).toBe(
      `a ${REDACTED}. "${REDACTED}" /${REDACTED}?x`,
    )
    expect(redactor.redactText('xtok3n-value tok3n-values code_tok3n-value')).toBe(
      'xtok3n-value tok3n-values code_tok3n-value',
    )
  })

  it('learns from credential positions of exchanges, never from other free text', () => {
    const redactor = createRedactor()
    expect(redactor.redactText('failed: code=m3ssage-c0de-1 at Bearer abcDEF123456')).toBe(
      `failed: code=${REDACTED} at Bearer ${REDACTED}`,
    )
    expect(redactor.redactText('m3ssage-c0de-1 abcDEF123456')).toBe('m3ssage-c0de-1 abcDEF123456')
    redactor.redactExchange(
      exchange({ method: 'GET', url: 'https://as.test/cb?code=exch4nge-c0de-2' }),
    )
    expect(redactor.redactText('later exch4nge-c0de-2')).toBe(`later ${REDACTED}`)
  })

  it('learns a login cookie and removes the handle it carries from the page and the form', () => {
    const redactor = createRedactor()
    const handle = 'v-tBmOj40JCPcwnSCLbk8VfDMN4EZike'
    const [page, login] = redactor.redactValue([
      exchange(
        { method: 'GET', url: 'https://as.test/authorize?client_id=c1' },
        {
          headers: {
            'content-type': 'text/html',
            location: `https://as.test/login/${handle}`,
            'set-cookie': `dcr_login_v-tBmOj40JCP=${handle}; Path=/; HttpOnly`,
          },
          body: `<input type="hidden" name="interaction" value="${handle}">`,
        },
      ),
      exchange({
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `interaction=${handle}&username=alice&password=pw`,
      }),
    ])
    expect(JSON.stringify([page, login])).not.toContain(handle)
    expect(login?.request.body).toBe(`interaction=${REDACTED}&username=alice&password=${REDACTED}`)
    expect(page?.response?.headers['set-cookie']).toBe(`dcr_login_v-tBmOj40JCP=${REDACTED}; Path=/; HttpOnly`)
  })

  it('names credentials by list and by suffix, and keeps error codes under `code`', () => {
    for (const name of ['client_secret', 'management_client_secret', 'logout_token', 'user_password', 'CODE'])
      expect(isCredentialName(name), name).toBe(true)
    for (const name of ['token_endpoint_auth_method', 'code_challenge', 'token_type', 'client_id', 'state'])
      expect(isCredentialName(name), name).toBe(false)
    const redactor = createRedactor()
    expect(
      redactor.redactValue({ code: 'invalid_request', management_client_secret: 'x', q: 'a?foo_token=t0ken-1' }),
    ).toEqual({ code: 'invalid_request', management_client_secret: REDACTED, q: `a?foo_token=${REDACTED}` })
  })

  it('walks once: members holding objects first, so a secret they teach leaves the message too', () => {
    const redactor = createRedactor()
    const out = redactor.redactValue({
      message: 'the server echoed R4T-from-step-2',
      steps: [{ exchanges: [exchange({}, { headers: { 'content-type': 'application/json' }, body: '{"registration_access_token":"R4T-from-step-2"}' })] }],
    })
    expect(out.message).toBe(`the server echoed ${REDACTED}`)
    expect(Object.keys(out)).toEqual(['message', 'steps'])
  })
})
