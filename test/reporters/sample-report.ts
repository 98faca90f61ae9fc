/**
 * A hand-built report with every outcome (two inconclusive scenarios sharing one root cause, a
 * failure excused by a known deviation), hostile characters and secrets in the exchanges, shared
 * by the reporter tests. Requirements, root causes and expectation outcomes are computed by the
 * engine's own functions, so the sample cannot drift from what a run reports.
 */
import { deviationOutcomes, type KnownDeviation } from '../../harness/runner/expectations.ts'
import type { Blocker, CheckResult, Exchange, Outcome } from '../../harness/model/result.ts'
import type { ScenarioResult, StepResult } from '../../harness/model/result.ts'
import type { Report } from '../../harness/model/report.ts'
import type { Reporter } from '../../harness/model/reporter.ts'
import { runInfoOf } from '../../reporters/merge.ts'
import { requirementVerdicts, type CatalogRow } from '../../harness/verdicts/requirements.ts'
import { rootCauses } from '../../harness/verdicts/root-causes.ts'
import { countOutcomes, statusOf } from '../../harness/verdicts/run-status.ts'

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

/** Titles and levels of the requirements the sample cites (R7591-2.3-a is left out on purpose). */
export const SAMPLE_CATALOG: ReadonlyMap<string, CatalogRow> = new Map([
  ['R7591-2-a', { title: 'redirect_uris are registered as given', level: 'must' }],
  ['R7591-3-d', { title: 'An initial access token is used once', level: 'must' }],
  ['R7591-3.2.1-a', { title: 'Success is 201 Created with a JSON object body', level: 'must' }],
  ['R7591-3.2.1-c', { title: 'Each registration gets a new client_id', level: 'should' }],
  ['R6749-4.1-a', { title: 'The authorization code flow completes', level: 'must' }],
  ['R6749-5.1-b', { title: 'Token responses carry Pragma: no-cache', level: 'should' }],
  ['R6749-6-a', { title: 'Refresh tokens are rotated', level: 'must' }],
  ['R7592-2-a', { title: 'The client configuration endpoint reads a client', level: 'must' }],
])

/** The sample's expectations file: one met (token/refresh), one stale, one unused. */
export const SAMPLE_DEVIATIONS: KnownDeviation[] = [
  {
    requirement: 'R6749-6-a',
    scenario: 'token/refresh',
    reason: 'refresh tokens are not rotated (vendor docs)',
  },
  { requirement: 'R7591-3-d', reason: 'server accepts IAT reuse (ticket 42)' },
  { requirement: 'R7591-3.2.1-e', reason: 'all clients share one secret (ticket 7)' },
]

/** What two inconclusive scenarios ran into: the registration they need answered 400. */
export const SAMPLE_BLOCKER: Blocker = {
  step: 'reg',
  action: 'register',
  answer: 'status: expected 2xx, got 400',
  cause: 'register: status: expected 2xx, got 400',
  violates: 'R7591-3.2.1-a',
}

function blockedScenario(id: string, requirement: string): ScenarioResult {
  return scenario({
    id,
    outcome: 'inconclusive',
    requirements: [requirement],
    message: `precondition failed at step 'reg': ${SAMPLE_BLOCKER.answer}`,
    blocker: SAMPLE_BLOCKER,
    steps: [
      {
        id: 'reg',
        action: 'register',
        outcome: 'inconclusive',
        durationMs: 4,
        checks: [
          {
            name: 'status',
            level: 'must',
            ok: false,
            violates: 'R7591-3.2.1-a',
            message: 'expected 2xx, got 400',
          },
        ],
        exchanges: [],
        artifacts: [],
      },
    ],
  })
}

/**
 * A scenario `id` with one step holding `checks`, for the tests of one rule (run status,
 * expectations): its outcome is the given one, else it follows the checks as a run's does.
 */
export function oneStepScenario(
  id: string,
  checks: CheckResult[],
  options: { outcome?: Outcome; step?: string; action?: StepResult['action'] } = {},
): ScenarioResult {
  const failed = (level: string) => checks.some((check) => !check.ok && check.level === level)
  const outcome =
    options.outcome ?? (failed('must') ? 'failed' : failed('should') ? 'warned' : 'passed')
  const step = { id: options.step ?? 'a', action: options.action ?? 'http', outcome, durationMs: 1 }
  return {
    id,
    title: 't',
    file: 'f',
    requirements: ['R-1'],
    tags: [],
    outcome,
    durationMs: 1,
    steps: [{ ...step, checks, exchanges: [], artifacts: [] }],
  }
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

/** The outcome counts of `sampleScenarios()`, as a reader counts them. */
export const SAMPLE_COUNTS = {
  total: 9,
  passed: 2,
  failed: 2,
  warned: 1,
  inconclusive: 2,
  skipped: 1,
  errored: 1,
}

/** Scenarios with every outcome; ids sorted. */
export function sampleScenarios(): ScenarioResult[] {
  return [
    scenario({
      id: 'authorize/code-flow',
      outcome: 'errored',
      requirements: ['R6749-4.1-a'],
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
      requirements: ['R7591-3-d'],
      steps: [
        {
          id: 'again',
          action: 'register',
          outcome: 'passed',
          durationMs: 3,
          checks: [
            { name: 'status is 401', level: 'must', ok: true, requirement: 'R7591-3-d' },
          ],
          exchanges: [],
          artifacts: [],
        },
      ],
    }),
    scenario({
      id: 'management/read',
      outcome: 'skipped',
      requirements: ['R7592-2-a'],
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
    blockedScenario('registration/redirect-uris', 'R7591-2-a'),
    blockedScenario('registration/software-statement', 'R7591-2.3-a'),
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
      requirements: ['R6749-6-a'],
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
              excused: 'refresh tokens are not rotated (vendor docs)',
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
  const expectations = deviationOutcomes(SAMPLE_DEVIATIONS, scenarios)
  return {
    schemaVersion: 1,
    tool: { name: 'dcr-conformance', version: '0.1.0' },
    target: { name: 'acme <idp>', issuer: 'https://as.example.test/oauth/v2/oauth-anonymous' },
    startedAt: '2026-01-02T03:04:05.000Z',
    durationMs: 1234,
    seed: 42,
    status: statusOf(scenarios, expectations),
    counts: countOutcomes(scenarios),
    scenarios,
    requirements: requirementVerdicts(scenarios, SAMPLE_CATALOG),
    rootCauses: rootCauses(scenarios),
    expectations,
    caveats: ['the target runs on plain http: transport security was not tested'],
    notices: ['TLS verification is off for this target (insecure: true)'],
    leftovers: [{ client_id: 'client-9', reason: 'DELETE answered 500' }],
    ...overrides,
  }
}

/** Drive a reporter through a whole run with the report's scenarios. */
export async function replay(reporter: Reporter, report: Report): Promise<void> {
  await reporter.onRunStart?.(runInfoOf(report))
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
