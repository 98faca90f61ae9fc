/**
 * A hand-built report with every outcome, hostile characters and secrets in the exchanges,
 * shared by the reporter tests.
 */
import type { Exchange, Report, Reporter, ScenarioResult } from '../../harness/types.ts'
import { countOutcomes, statusOf } from '../../reporters/summary.ts'

/** Every secret put into the sample; none may appear in any reporter's output after redaction. */
export const SECRETS = {
  iat: 'iat-SECRET-0001-aaaaaaaa',
  clientSecret: 'cs-SECRET-0002-bbbbbbbb',
  registrationAccessToken: 'rat-SECRET-0003-cccccccc',
  code: 'code-SECRET-0004-dddddddd',
  codeVerifier: 'verifier-SECRET-0005-eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee',
  refreshToken: 'rt-SECRET-0006-ffffffff',
  password: 'pw-SECRET-0007',
  cookie: 'cookie-SECRET-0008-gggg',
  accessToken: 'at-SECRET-0009-hhhhhhhh',
  jwkD: 'jwkd-SECRET-0010-iiiiiiiiiiii',
  idToken:
    'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJhbGljZSIsImF1ZCI6ImNsaWVudCJ9.c2lnbmF0dXJlLXNlY3JldC14eXo',
} as const

export const HOSTILE_TITLE =
  'Tricky <script>alert("x")</script> & ]]> | *bold* _it_ `tick` \u0001\u001b[31mred'

const basic = Buffer.from(`client-1:${SECRETS.clientSecret}`).toString('base64')

const registerExchange: Exchange = {
  request: {
    method: 'POST',
    url: 'https://as.example.test/oauth/v2/oauth-dynamic-client-registration',
    headers: { authorization: `Bearer ${SECRETS.iat}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      redirect_uris: ['https://127.0.0.1:4000/cb'],
      scope: 'openid',
      jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'xx', y: 'yy', d: SECRETS.jwkD }] },
    }),
  },
  response: {
    status: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify({
      client_id: 'client-1',
      client_secret: SECRETS.clientSecret,
      registration_access_token: SECRETS.registrationAccessToken,
      registration_client_uri:
        'https://as.example.test/oauth/v2/oauth-dynamic-client-registration/client-1',
    }),
  },
  durationMs: 12,
}

const tokenExchange: Exchange = {
  request: {
    method: 'POST',
    url: 'https://as.example.test/oauth/v2/oauth-token',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: `grant_type=authorization_code&code=${SECRETS.code}&code_verifier=${SECRETS.codeVerifier}&redirect_uri=https%3A%2F%2F127.0.0.1%2Fcb`,
  },
  response: {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      access_token: SECRETS.accessToken,
      refresh_token: SECRETS.refreshToken,
      id_token: SECRETS.idToken,
      token_type: 'Bearer',
    }),
  },
  durationMs: 8,
}

const loginExchange: Exchange = {
  request: {
    method: 'POST',
    url: 'https://as.example.test/login',
    headers: {
      cookie: `session=${SECRETS.cookie}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: `username=alice&password=${SECRETS.password}`,
  },
  response: {
    status: 302,
    headers: {
      location: `https://127.0.0.1:4000/cb?code=${SECRETS.code}&state=s1`,
      'set-cookie': `session=${SECRETS.cookie}; Path=/; HttpOnly`,
    },
  },
  durationMs: 5,
}

function scenario(
  partial: Partial<ScenarioResult> & Pick<ScenarioResult, 'id' | 'outcome'>,
): ScenarioResult {
  return {
    title: `Title of ${partial.id}`,
    file: `suites/${partial.id}.yaml`,
    requirements: ['R7591-3.2.1-a'],
    tags: [],
    durationMs: 10,
    steps: [],
    ...partial,
  }
}

/** Scenarios with every outcome; ids sorted. */
export function sampleScenarios(): ScenarioResult[] {
  return [
    scenario({
      id: 'authorize/code-flow',
      outcome: 'errored',
      durationMs: 40,
      steps: [
        {
          id: 'login',
          action: 'authorize',
          outcome: 'errored',
          durationMs: 30,
          checks: [],
          exchanges: [loginExchange],
          artifacts: [],
          // The code appears in an error message before the exchange that names it.
          message: `E_LOGIN: the browser ended at https://127.0.0.1:4000/cb?code=${SECRETS.code} with password ${SECRETS.password}`,
        },
      ],
    }),
    scenario({
      id: 'iat/one-time',
      title: 'A used IAT cannot register again',
      outcome: 'passed',
      expected: { outcome: 'failed', reason: 'server accepts IAT reuse (ticket 42)', stale: true },
      steps: [
        {
          id: 'again',
          action: 'register',
          outcome: 'passed',
          durationMs: 3,
          checks: [{ name: 'status is 401', level: 'must', ok: true }],
          exchanges: [],
          artifacts: [],
        },
      ],
    }),
    scenario({
      id: 'management/read',
      outcome: 'skipped',
      durationMs: 0,
      message: 'requires capability rfc7592 (not claimed by the target)',
    }),
    scenario({
      id: 'registration/basic',
      title: HOSTILE_TITLE,
      outcome: 'passed',
      durationMs: 12,
      steps: [
        {
          id: 'reg',
          action: 'register',
          outcome: 'passed',
          durationMs: 12,
          checks: [
            { name: 'status is 201', level: 'must', ok: true, requirement: 'R7591-3.2.1-a' },
          ],
          exchanges: [registerExchange],
          artifacts: [],
        },
      ],
    }),
    scenario({
      id: 'registration/cache-control',
      outcome: 'warned',
      steps: [
        {
          id: 'reg',
          action: 'register',
          outcome: 'warned',
          durationMs: 9,
          checks: [
            {
              name: 'Pragma no-cache',
              level: 'should',
              ok: false,
              requirement: 'R6749-5.1-b',
              message: 'header pragma is absent',
              expected: 'no-cache',
            },
          ],
          exchanges: [registerExchange],
          artifacts: [],
        },
      ],
    }),
    scenario({
      id: 'registration/status-201',
      title: 'Registration answers 201 Created',
      outcome: 'failed',
      requirements: ['R7591-3.2.1-a'],
      steps: [
        {
          id: 'reg',
          action: 'register',
          outcome: 'failed',
          durationMs: 12,
          checks: [
            {
              name: 'secret differs',
              level: 'should',
              ok: false,
              requirement: 'R7591-3.2.1-c',
              message: `client_secret ${SECRETS.clientSecret} looks weak`,
              actual: { client_secret: SECRETS.clientSecret },
            },
            {
              name: 'status is 201',
              level: 'must',
              ok: false,
              requirement: 'R7591-3.2.1-a',
              message: 'expected status 201, got 200 <b>&</b>',
              expected: 201,
              actual: 200,
            },
          ],
          exchanges: [registerExchange],
          artifacts: [],
        },
      ],
    }),
    scenario({
      id: 'token/refresh',
      outcome: 'failed',
      expected: { outcome: 'failed', reason: 'refresh tokens are not rotated (vendor docs)' },
      steps: [
        {
          id: 'refresh',
          action: 'token',
          outcome: 'failed',
          durationMs: 8,
          checks: [
            {
              name: 'new refresh token',
              level: 'must',
              ok: false,
              requirement: 'R6749-6-a',
              message: 'refresh_token unchanged',
              actual: { refresh_token: SECRETS.refreshToken },
            },
          ],
          exchanges: [tokenExchange],
          artifacts: [],
        },
      ],
    }),
  ]
}

export function sampleReport(overrides: Partial<Report> = {}): Report {
  const scenarios = overrides.scenarios ?? sampleScenarios()
  return {
    schemaVersion: 1,
    tool: { name: 'dcr-conformance', version: '0.1.0' },
    target: { name: 'acme <idp>', issuer: 'https://as.example.test/oauth/v2/oauth-anonymous' },
    startedAt: '2026-01-02T03:04:05.000Z',
    durationMs: 1234,
    seed: 42,
    status: statusOf(scenarios),
    counts: countOutcomes(scenarios),
    scenarios,
    notices: ['TLS verification is off for this target (insecure: true)'],
    leftovers: [{ client_id: 'client-9', reason: 'DELETE answered 500' }],
    ...overrides,
  }
}

/** Drive a reporter through a whole run with the report's scenarios. */
export async function replay(reporter: Reporter, report: Report): Promise<void> {
  await reporter.onRunStart?.({
    target: report.target,
    seed: report.seed,
    planned: report.scenarios.length,
    startedAt: report.startedAt,
  })
  for (const scenario of report.scenarios) {
    await reporter.onScenarioStart?.({ id: scenario.id, title: scenario.title })
    await reporter.onScenarioEnd?.(scenario)
  }
  for (const notice of report.notices ?? []) await reporter.onNotice?.(notice)
  await reporter.onRunEnd(report)
}

/** A writable stream that keeps what is written. */
export async function memoryStream(options: { isTTY?: boolean; columns?: number } = {}) {
  const { Writable } = await import('node:stream')
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString())
      callback()
    },
  }) as unknown as NodeJS.WritableStream & { isTTY?: boolean; columns?: number; text(): string }
  if (options.isTTY) stream.isTTY = true
  if (options.columns) stream.columns = options.columns
  stream.text = () => chunks.join('')
  return stream
}
