/**
 * Interop: the whole suite against better-auth 1.7 with its oauth-provider plugin (DESIGN §7,
 * specificity), a third independent implementation next to the reference server and
 * node-oidc-provider. Every failure must be one of its documented deviations
 * (expectations/better-auth.yaml), no scenario may be inconclusive, and every documented
 * deviation must still happen (support/verdict-gate.ts).
 */
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runSuite } from '../../harness/run-suite.ts'
import type { Report } from '../../harness/types.ts'
import { describeScenario, expectEveryDeviationMet, expectOnlyKnownDeviations } from './support/verdict-gate.ts'
import { startBetterAuthServer, type BetterAuthServer } from './better-auth-server.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))

describe('interop: better-auth 1.7 oauth-provider', () => {
  let server: BetterAuthServer | undefined
  let report: Report | undefined

  beforeAll(async () => {
    server = await startBetterAuthServer()
  })

  afterAll(async () => {
    await server?.close()
  })

  async function runAgainstBetterAuth(options: {
    suite?: string[]
    loginDriver: 'http' | 'browser'
  }): Promise<Report> {
    if (!server) throw new Error('better-auth did not start')
    return runSuite({
      target: 'better-auth',
      targetsFile: 'targets.yaml',
      cwd: root,
      env: { ...process.env, ...server.env },
      loginDriver: options.loginDriver,
      ...(options.suite ? { suite: options.suite } : {}),
    })
  }

  it('runs the full suite with only the documented deviations', async () => {
    report = await runAgainstBetterAuth({ loginDriver: 'http' })
    expectOnlyKnownDeviations(report, 'expectations/better-auth.yaml')
    // The verdicts are about a real run: most scenarios apply and pass, the code flow included
    // (login through the test server's own /login and /consent forms).
    expect(report.counts.passed).toBeGreaterThan(80)
    const walkthrough = report.scenarios.find((s) => s.id === 'code-flow/seed-walkthrough')
    expect(walkthrough?.outcome).toBe('passed')
    expect(report.target.issuer).toBe(server?.issuer)
  }, 300_000)

  it('documents every deviation with its evidence, and each one still happens', () => {
    expectEveryDeviationMet(report)
  })

  it('enforces the initial access token (missing, invalid, without dcr)', async () => {
    const probe = await runAgainstBetterAuth({
      suite: [
        'suites/initial-access-token/missing.yaml',
        'suites/initial-access-token/invalid.yaml',
        'suites/initial-access-token/insufficient-scope.yaml',
      ],
      loginDriver: 'http',
    })
    expect(probe.scenarios).toHaveLength(3)
    for (const scenario of probe.scenarios) {
      expect(scenario.outcome, describeScenario(scenario)).toBe('passed')
    }
  }, 60_000)

  it('completes the seed walk-through in a real browser with the declarative recipe', async () => {
    const browserReport = await runAgainstBetterAuth({
      suite: ['suites/code-flow/seed-walkthrough.yaml'],
      loginDriver: 'browser',
    })
    expect(browserReport.scenarios.map(describeScenario)).toEqual([
      expect.stringMatching(/^code-flow\/seed-walkthrough passed/),
    ])
    const login = browserReport.scenarios[0]?.steps.find((step) => step.id === 'login')
    expect(login?.outcome).toBe('passed')
    // Chromium itself went through the test server's login and consent forms: two form POSTs
    // (/login, /consent), then the loopback callback.
    const exchanges = login?.exchanges ?? []
    const posts = exchanges.filter(
      (exchange) =>
        exchange.request.method === 'POST' &&
        /\/(login|consent)$/.test(new URL(exchange.request.url).pathname),
    )
    expect(posts).toHaveLength(2)
    for (const exchange of exchanges) {
      expect(exchange.request.headers['user-agent']).toMatch(/HeadlessChrome|Chrome/)
    }
  }, 120_000)
})
