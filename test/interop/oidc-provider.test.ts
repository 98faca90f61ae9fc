/**
 * Interop: the whole suite against node-oidc-provider 9 (DESIGN §7, specificity). Every failure
 * must be one of its documented deviations (expectations/oidc-provider.yaml), no scenario may be
 * inconclusive, and every documented deviation must still happen (support/verdict-gate.ts).
 */
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runSuite } from '../../harness/run-suite.ts'
import type { Report } from '../../harness/types.ts'
import { describeScenario, expectEveryDeviationMet, expectOnlyKnownDeviations } from './support/verdict-gate.ts'
import { startOidcProviderServer, type OidcProviderServer } from './oidc-provider-server.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))

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
    expectOnlyKnownDeviations(report, 'expectations/oidc-provider.yaml')
    // The verdicts are about a real run: most scenarios apply and pass, the code flow included.
    expect(report.counts.passed).toBeGreaterThan(80)
    const walkthrough = report.scenarios.find((s) => s.id === 'code-flow/seed-walkthrough')
    expect(walkthrough?.outcome).toBe('passed')
    expect(report.target.issuer).toBe(server?.issuer)
  }, 300_000)

  it('documents every deviation with its evidence, and each one still happens', () => {
    expectEveryDeviationMet(report)
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
