/**
 * Interop: the whole suite against better-auth 1.7 with its oauth-provider plugin
 * (specificity: the suite is not tuned to our own server), a third independent implementation
 * next to the reference server and node-oidc-provider, started by targets.yaml's `provider:`. Every failure must be one of its documented deviations
 * (expectations/better-auth.yaml), no scenario may be inconclusive, and every documented
 * deviation must still happen (support/verdict-gate.ts).
 */
import { describe, expect, it } from 'vitest'
import { describeScenario } from './support/verdict-gate.ts'
import {
  itRunsWithOnlyKnownDeviations,
  itWalksThroughInABrowser,
  interopTarget,
} from './support/interop-target.ts'

describe('interop: better-auth 1.7 oauth-provider', () => {
  const betterAuth = interopTarget('better-auth')
  // Most scenarios apply and pass, the code flow included (login through the test server's own
  // /login and /consent forms); the issuer is better-auth's base path.
  itRunsWithOnlyKnownDeviations(betterAuth, {
    minPassed: 80,
    passing: ['code-flow/seed-walkthrough'],
    alsoExpect: (report) => expect(report.target.issuer).toMatch(/\/api\/auth$/),
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
