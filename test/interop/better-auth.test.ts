/**
 * Interop: the whole suite against better-auth 1.7 with its oauth-provider plugin (DESIGN §7,
 * specificity), a third independent implementation next to the reference server and
 * node-oidc-provider. Every failure must be one of its documented deviations
 * (expectations/better-auth.yaml), no scenario may be inconclusive, and every documented
 * deviation must still happen (support/verdict-gate.ts).
 */
import { describe, expect, it } from 'vitest'
import { describeScenario } from './support/verdict-gate.ts'
import { startBetterAuthServer } from './better-auth-server.ts'
import {
  itRunsWithOnlyKnownDeviations,
  itWalksThroughInABrowser,
  useInteropTarget,
} from './support/interop-target.ts'

describe('interop: better-auth 1.7 oauth-provider', () => {
  const betterAuth = useInteropTarget('better-auth', startBetterAuthServer)
  itRunsWithOnlyKnownDeviations(betterAuth, 'expectations/better-auth.yaml', (report) => {
    // The verdicts are about a real run: most scenarios apply and pass, the code flow included
    // (login through the test server's own /login and /consent forms).
    expect(report.counts.passed).toBeGreaterThan(80)
    const walkthrough = report.scenarios.find((s) => s.id === 'code-flow/seed-walkthrough')
    expect(walkthrough?.outcome).toBe('passed')
    expect(report.target.issuer).toBe(betterAuth.server().issuer)
  })

  it('enforces the initial access token (missing, invalid, without dcr)', async () => {
    const probe = await betterAuth.run({
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

  // Chromium itself went through the test server's login and consent forms (/login, /consent).
  itWalksThroughInABrowser(betterAuth, (exchange) =>
    /\/(login|consent)$/.test(new URL(exchange.request.url).pathname),
  )
})
