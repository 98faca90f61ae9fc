/**
 * The hostile matrix, part 2 (helpers/matrix.ts lists all 24 behaviours): discovery is fine, and
 * a scenario meets the hostile behaviour. README's exit-code rules and docs/verdicts.md decide
 * each case: a step the harness could not or would not carry out (an oversized, cut or garbage
 * answer, which includes a 201 that is not JSON, and a refused origin) makes the scenario
 * `errored`, so exit 3; an answer the harness could read that breaks a MUST the scenario checks
 * (a 307 where the 201 is due) makes it `failed`, so exit 1; a huge but valid client_id breaks
 * nothing, so exit 0.
 */
import { describe, expect, it } from 'vitest'
import type { StepResult } from '../../harness/model/result.ts'
import type { Report } from '../../harness/model/report.ts'
import type { ForeignRecorder } from './helpers/foreign-recorder.ts'
import { bigJson, deepJson, redirect, reset } from './helpers/behaviours.ts'
import {
  discoveryDocument,
  isDiscoveryPath,
  json,
  registered,
  type HostileOptions,
  type HostileRequest,
} from './helpers/hostile-target.ts'
import { expectContained, IAT_CLIENT_SECRET, runHostileCase, STATIC_IAT } from './helpers/matrix.ts'
import { CASE_TIMEOUT_MS } from './helpers/run-case.ts'

const HTTP = ['--login-driver', 'http']
const REGISTER = ['--grep', '^registration/status-201-created$', ...HTTP]
const READ = ['--grep', '^client-management/read$', ...HTTP]
const LOGIN = ['--grep', '^code-flow/token-response$']

const isRegistration = (r: HostileRequest) => r.url.pathname === '/oauth/register' && r.req.method === 'POST'

/** A target whose registration endpoint answers with `answer` (everything else plainly). */
function atRegistration(
  answer: (request: HostileRequest, foreign: ForeignRecorder) => boolean,
  extra: Omit<HostileOptions, 'handle'> = {},
): (foreign: ForeignRecorder) => HostileOptions {
  return (foreign) => ({
    ...extra,
    handle: (request) => (isRegistration(request) ? answer(request, foreign) : false),
  })
}

/** A target whose discovery document is the plain one with `changes`. */
function withDiscovery(
  changes: (issuer: string) => Record<string, unknown>,
  extra: Omit<HostileOptions, 'handle'> = {},
): (foreign: ForeignRecorder) => HostileOptions {
  return () => ({
    ...extra,
    handle: (request) => {
      if (!isDiscoveryPath(request.url.pathname)) return false
      json(request.res, 200, { ...discoveryDocument(request.issuer), ...changes(request.issuer) })
      return true
    },
  })
}

/** A registration answer of the plain behaviour for `metadata` with `clientId`. */
function answerFor(request: HostileRequest, clientId: string): Record<string, unknown> {
  return registered(request.issuer, clientId, `rat-${clientId.length}`, JSON.parse(request.body) as object)
}

/** A login recipe for the code-flow cases (never reached: the authorization endpoint is refused). */
const LOGIN_TARGET = { login: { username: 'alice', password: 'hostile-matrix-password-1e8b' } }
const LOGIN_OPTIONS = {
  capabilities: ['plain_http', 'rfc7592', 'delete', 'user_login'],
  target: LOGIN_TARGET,
}
const FILE_AUTHORIZATION = withDiscovery(
  () => ({ authorization_endpoint: 'file:///etc/passwd' }),
  LOGIN_OPTIONS,
)

const FILE_REFUSED = /refused to open file: authorization_endpoint file:\/\/\/etc\/passwd/

/** A recipe that fills and submits a login form (cases 25 and 26). */
const LOGIN_PASSWORD = 'hostile-matrix-password-1e8b'
const FORM_LOGIN = {
  capabilities: LOGIN_OPTIONS.capabilities,
  target: {
    login: {
      username: 'alice',
      password: LOGIN_PASSWORD,
      steps: [
        { fill: { label: 'Username', value: '${{ login.username }}' } },
        { fill: { label: 'Password', value: '${{ login.password }}' } },
        { click: { role: 'button', name: 'Login' } },
      ],
    },
  },
}

/** A login page whose form posts to `action`. */
function loginPage(action: string): string {
  return `<!doctype html><html><body><form method="post" action="${action}">
<label>Username <input name="username"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Login</button></form></body></html>`
}

/** A target whose authorization endpoint answers with `answer`. */
function atAuthorization(
  answer: (request: HostileRequest, foreign: ForeignRecorder) => boolean,
): (foreign: ForeignRecorder) => HostileOptions {
  return (foreign) => ({
    ...FORM_LOGIN,
    handle: (request) => (request.url.pathname === '/oauth/authorize' ? answer(request, foreign) : false),
  })
}

/** The authorize step of the code-flow case. */
function loginStep(report: Report): StepResult | undefined {
  return report.scenarios[0]?.steps.find((step) => step.id === 'login')
}

const TITLE = 'hostile answers within scenarios end cleanly (errored: exit 3, failed: exit 1)'

describe.concurrent(TITLE, { timeout: CASE_TIMEOUT_MS }, () => {
  it('13. endpoints at the cloud metadata address 169.254.169.254 (IAT)', async ({ task }) => {
    const metadata = 'http://169.254.169.254/latest'
    const endpoints = { token_endpoint: `${metadata}/token`, registration_endpoint: `${metadata}/register` }
    const iat = { strategy: 'client_credentials', client_id: 'iat-client', client_secret: IAT_CLIENT_SECRET }
    const context = await runHostileCase(
      task.name,
      withDiscovery(() => endpoints, {
        capabilities: ['plain_http', 'iat_required'],
        target: { registration: { iat } },
      }),
      REGISTER,
    )
    // Refused per step (origin-policy.ts), never contacted: the scenario errors, exit 3.
    const reason = /refused to contact http:\/\/169\.254\.169\.254.*allow_link_local/
    expectContained(context, { exit: 3, reason })
  })

  it('14. huge body: a registration answer over the 1 MiB limit', async ({ task }) => {
    const context = await runHostileCase(
      task.name,
      atRegistration((r) => bigJson(r, 201, answerFor(r, 'client-big'))),
      REGISTER,
    )
    expectContained(context, { exit: 3, reason: /larger than the limit of 1048576 bytes/ })
  })

  it('15. connection reset in the middle of a registration answer', async ({ task }) => {
    const head =
      'HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"client_id":'
    const context = await runHostileCase(task.name, atRegistration((r) => reset(r, head)), REGISTER)
    expectContained(context, { exit: 3, reason: /connection reset or closed by the target/ })
    // A POST that may have reached the server is never retried (harness/http/retry.ts).
    expect(context.target.requests.filter(isPost)).toHaveLength(1)
  })

  it('16. invalid JSON as the registration answer', async ({ task }) => {
    const invalid = (r: HostileRequest) => {
      r.res.writeHead(201, { 'content-type': 'application/json' })
      r.res.end('{"client_id": "client-1", "client_secret": ')
      return true
    }
    const context = await runHostileCase(task.name, atRegistration(invalid), REGISTER)
    // A garbage answer (docs/verdicts.md): errored, not a verdict on the requirement.
    expectContained(context, { exit: 3, reason: /answered 201 with a body that is not JSON/ })
  })

  it('17. an HTML page where the registration answer is expected', async ({ task }) => {
    const html = (r: HostileRequest) => {
      r.res.writeHead(201, { 'content-type': 'text/html' })
      r.res.end('<!doctype html><html><body><h1>Registered!</h1></body></html>')
      return true
    }
    const context = await runHostileCase(task.name, atRegistration(html), REGISTER)
    expectContained(context, { exit: 3, reason: /answered 201 with a body that is not JSON \(text\/html\)/ })
  })

  it('18. foreign redirect, not followed: 307 from registration (with an IAT)', async ({ task }) => {
    const context = await runHostileCase(
      task.name,
      atRegistration((r, foreign) => redirect(r.res, 307, `${foreign.origin}/register`), {
        capabilities: ['plain_http', 'iat_required'],
        target: { registration: { iat: { strategy: 'static', token: STATIC_IAT } } },
      }),
      REGISTER,
    )
    expectContained(context, { exit: 1, reason: /expected <= 299, got 307/ })
    expect(context.foreign.requests).toEqual([])
  })

  it('19. a foreign-origin registration_client_uri (the RAT stays home)', async ({ task }) => {
    const secrets: string[] = []
    const context = await runHostileCase(
      task.name,
      atRegistration((r, foreign) => {
        const answer = answerFor(r, 'client-foreign')
        json(r.res, 201, { ...answer, registration_client_uri: `${foreign.origin}/register/client-foreign` })
        secrets.push(answer.registration_access_token as string, answer.client_secret as string)
        return true
      }),
      READ,
    )
    const reason = /refused to send credentials to .*credential_origins/
    const report = expectContained(context, { exit: 3, reason, secrets })
    expect(report.leftovers?.map((left) => left.client_id)).toEqual(['client-foreign'])
  })

  it('20. a link-local registration endpoint in discovery (fe80::)', async ({ task }) => {
    const context = await runHostileCase(
      task.name,
      withDiscovery(() => ({ registration_endpoint: 'http://[fe80::1]/register' })),
      REGISTER,
    )
    expectContained(context, { exit: 3, reason: /refused to contact http:\/\/\[fe80::1\].*allow_link_local/ })
  })

  it('21. a file:// authorization endpoint, HTTP-form driver', async ({ task }) => {
    const context = await runHostileCase(task.name, FILE_AUTHORIZATION, [...LOGIN, '--login-driver', 'http'])
    const report = expectContained(context, { exit: 3, reason: FILE_REFUSED })
    expect(loginStep(report)?.outcome).toBe('errored')
  })

  it('22. a file:// authorization endpoint, browser', async ({ task }) => {
    const args = [...LOGIN, '--login-driver', 'browser']
    const context = await runHostileCase(task.name, FILE_AUTHORIZATION, args)
    const report = expectContained(context, { exit: 3, reason: FILE_REFUSED })
    // Refused before any driver starts (harness/actions/authorize.ts): Chromium never opens it.
    expect(loginStep(report)?.outcome).toBe('errored')
  })

  it('25. a login form posting to a foreign origin, browser (the password stays home)', async ({ task }) => {
    const context = await runHostileCase(
      task.name,
      atAuthorization((r, foreign) => {
        r.res.writeHead(200, { 'content-type': 'text/html' })
        r.res.end(loginPage(`${foreign.origin}/login`))
        return true
      }),
      [...LOGIN, '--login-driver', 'browser'],
    )
    const reason = /POST http:\/\/127\.0\.0\.1:\d+\/login failed: refused to send credentials to .*credential_origins/
    const report = expectContained(context, { exit: 3, reason, secrets: [LOGIN_PASSWORD] })
    // Refused before the click (harness/browser/origin-guard.ts): nothing reached the recorder.
    expect(loginStep(report)?.outcome).toBe('errored')
    expect(context.foreign.requests).toEqual([])
  })

  it('27. a login POST answered 307 to a foreign origin, browser (the password stays home)', async ({ task }) => {
    const context = await runHostileCase(
      task.name,
      (foreign) => ({
        ...FORM_LOGIN,
        handle: (r) => {
          if (r.url.pathname === '/oauth/authorize') {
            r.res.writeHead(200, { 'content-type': 'text/html' })
            r.res.end(loginPage('/oauth/login'))
            return true
          }
          if (r.url.pathname !== '/oauth/login' || r.req.method !== 'POST') return false
          // A 307 keeps the body: Chromium would POST the password to the recorder.
          return redirect(r.res, 307, `${foreign.origin}/login`)
        },
      }),
      [...LOGIN, '--login-driver', 'browser'],
    )
    const reason =
      /POST http:\/\/127\.0\.0\.1:\d+\/login \(a 307 redirect from http:\/\/127\.0\.0\.1:\d+\) failed: refused to send credentials to .*credential_origins/
    const report = expectContained(context, { exit: 3, reason, secrets: [LOGIN_PASSWORD] })
    // The target got the password and answered 307; the guard (harness/browser/redirect-guard.ts)
    // failed that hop before Chromium followed it: the recorder counts 0 requests.
    const login = context.target.requests.find((r) => r.path.startsWith('/oauth/login'))
    expect(new URLSearchParams(login?.body).get('password')).toBe(LOGIN_PASSWORD)
    expect(loginStep(report)?.outcome).toBe('errored')
    expect(context.foreign.requests).toEqual([])
  })

  it('26. an authorization endpoint redirecting to 169.254.169.254, browser', async ({ task }) => {
    const context = await runHostileCase(
      task.name,
      atAuthorization((r) => redirect(r.res, 302, 'http://169.254.169.254/latest/meta-data/')),
      [...LOGIN, '--login-driver', 'browser'],
    )
    const reason =
      /GET http:\/\/169\.254\.169\.254\/latest\/meta-data\/ failed: refused to contact http:\/\/169\.254\.169\.254.*allow_link_local/
    const report = expectContained(context, { exit: 3, reason })
    expect(loginStep(report)?.outcome).toBe('errored')
  })

  it('8b. a redirect loop where redirects are followed: the login (HTTP-form)', async ({ task }) => {
    const looping = () => ({
      ...LOGIN_OPTIONS,
      handle: (r: HostileRequest) =>
        r.url.pathname === '/oauth/authorize' ? redirect(r.res, 302, r.req.url ?? '/') : false,
    })
    const context = await runHostileCase(task.name, looping, [...LOGIN, '--login-driver', 'http'])
    expectContained(context, { exit: 3, reason: /no redirect to .* after \d+ requests/ })
    expect(context.target.requests.length).toBeLessThan(100)
  })

  it('23. a 900 KB client_id', async ({ task }) => {
    let clients = 0
    const clientId = () => `client-${++clients}-${'x'.repeat(900 * 1024)}`
    // The plain behaviour with such client_ids; its head limit would fit one in a URL.
    const context = await runHostileCase(
      task.name,
      () => ({ clientId, maxHeaderSize: 4 * 1024 * 1024 }),
      ['--grep', '^(registration/status-201-created|client-management/read)$', ...HTTP],
    )
    const report = expectContained(context, { exit: 0, reason: /^$|./ })
    expect(report.counts).toMatchObject({ total: 2, passed: 2 })
    // Deleted at the end, through the registration_client_uri.
    expect(context.target.clients.size).toBe(0)
  })

  it('28. (beyond the 24) lone surrogates in the secrets of a registration answer', async ({ task }) => {
    // Valid JSON (RFC 8259 §8.2 allows unpaired escapes), but no URI encoding of such a string
    // exists: learning it for redaction must neither throw nor lose the result.
    const context = await runHostileCase(
      task.name,
      atRegistration((r) => {
        const answer = answerFor(r, 'client-surrogate')
        const body = JSON.stringify({ ...answer, client_secret: 'SECRET-X', registration_access_token: 'RAT-X' })
          .replace('SECRET-X', 'secret-\\ud800-7a1c9e')
          .replace('RAT-X', 'rat-\\udfff-5b20d4')
        r.res.writeHead(201, { 'content-type': 'application/json' }).end(body)
        return true
      }),
      REGISTER,
    )
    const report = expectContained(context, { exit: 0, reason: /^$/ })
    expect(report.counts).toMatchObject({ total: 1, passed: 1 })
    expect(JSON.stringify(report)).not.toMatch(/7a1c9e|5b20d4/)
    // Such a RAT cannot go into an Authorization header: the client is named as left over.
    expect(report.leftovers?.map((entry) => entry.client_id)).toEqual(['client-surrogate'])
  })

  it('24. deeply nested JSON (100k levels) in a registration answer', async ({ task }) => {
    const context = await runHostileCase(
      task.name,
      atRegistration((r) => deepJson(r, 201, answerFor(r, 'client-deep'))),
      REGISTER,
    )
    expectContained(context, { exit: 3, reason: /the body nests deeper than \d+ levels/ })
  })
})

function isPost(request: { method: string }): boolean {
  return request.method === 'POST'
}
