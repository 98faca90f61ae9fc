/**
 * Interop: the whole suite against node-oidc-provider 9 (DESIGN §7, specificity). Every failure
 * must be one of its documented deviations (expectations/oidc-provider.yaml), and every
 * documented deviation must still happen (a stale expectation fails the test).
 */
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runSuite } from '../../harness/run-suite.ts'
import type { Report, ScenarioResult } from '../../harness/types.ts'
import { expectationState, isUnexpectedProblem } from '../../reporters/summary.ts'
import { startOidcProviderServer, type OidcProviderServer } from './oidc-provider-server.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))

function describeScenario(scenario: ScenarioResult): string {
  const failed = scenario.steps
    .flatMap((step) => [
      ...(step.message ? [`${step.id}: ${step.message}`] : []),
      ...step.checks
        .filter((check) => !check.ok)
        .map((check) => `${step.id}: ${check.name} ${check.message ?? ''}`),
    ])
    .slice(0, 3)
  const why = scenario.message ? ` (${scenario.message})` : ''
  return `${scenario.id} ${scenario.outcome}${why} ${failed.join(' | ')}`
}

describe('interop: node-oidc-provider 9', () => {
  let server: OidcProviderServer | undefined
  let report: Report | undefined

  beforeAll(async () => {
    server = await startOidcProviderServer()
  })

  afterAll(async () => {
    await server?.close()
  })

  async function runAgainstProvider(options: {
    suite?: string[]
    loginDriver: 'http' | 'browser'
  }): Promise<Report> {
    if (!server) throw new Error('node-oidc-provider did not start')
    return runSuite({
      target: 'oidc-provider',
      targetsFile: 'targets.yaml',
      cwd: root,
      env: { ...process.env, ...server.env },
      loginDriver: options.loginDriver,
      ...(options.suite ? { suite: options.suite } : {}),
    })
  }

  it('runs the full suite with only the documented deviations', async () => {
    report = await runAgainstProvider({ loginDriver: 'http' })
    const unexpected = report.scenarios.filter(isUnexpectedProblem).map(describeScenario)
    const stale = report.scenarios
      .filter((scenario) => expectationState(scenario) === 'stale')
      .map((s) => `${s.id}: expected ${s.expected?.outcome}, got ${s.outcome}`)
    const undocumented = 'failures that expectations/oidc-provider.yaml does not document'
    expect(unexpected, undocumented).toEqual([])
    expect(stale, 'documented deviations that no longer happen').toEqual([])
    // The verdicts are about a real run: most scenarios apply and pass, the code flow included.
    expect(report.counts.passed).toBeGreaterThan(80)
    const walkthrough = report.scenarios.find((s) => s.id === 'code-flow/seed-walkthrough')
    expect(walkthrough?.outcome).toBe('passed')
    expect(report.target.issuer).toBe(server?.issuer)
  }, 300_000)

  it('documents every deviation with a reason and the outcome the provider really gives', () => {
    expect(report, 'the full run must have happened').toBeDefined()
    const expected = report!.scenarios.filter((scenario) => scenario.expected)
    expect(expected.length).toBeGreaterThan(0)
    for (const scenario of expected) {
      expect(scenario.expected?.reason.length, scenario.id).toBeGreaterThan(20)
      expect(expectationState(scenario), scenario.id).toBe('met')
    }
  })

  it('completes the seed walk-through in a real browser with the declarative recipe', async () => {
    const browserReport = await runAgainstProvider({
      suite: ['suites/code-flow/seed-walkthrough.yaml'],
      loginDriver: 'browser',
    })
    expect(browserReport.scenarios.map(describeScenario)).toEqual([
      expect.stringMatching(/^code-flow\/seed-walkthrough passed/),
    ])
    const login = browserReport.scenarios[0]?.steps.find((step) => step.id === 'login')
    expect(login?.outcome).toBe('passed')
    // Chromium itself went through the provider's login and consent pages (devInteractions):
    // two form POSTs to /interaction/, then the loopback callback.
    const exchanges = login?.exchanges ?? []
    const posts = exchanges.filter(
      (exchange) =>
        exchange.request.method === 'POST' &&
        exchange.request.url.startsWith(`${server?.issuer}/interaction/`),
    )
    expect(posts).toHaveLength(2)
    for (const exchange of exchanges) {
      expect(exchange.request.headers['user-agent']).toMatch(/HeadlessChrome|Chrome/)
    }
  }, 120_000)
})
