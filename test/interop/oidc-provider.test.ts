/**
 * Interop: the whole suite against node-oidc-provider 9, started by targets.yaml's `provider:`
 * (specificity: the suite is not tuned to our own server). Every failure must be one of its
 * documented deviations (expectations/oidc-provider.yaml), no scenario may be
 * inconclusive, and every documented deviation must still happen (support/verdict-gate.ts).
 */
import { describe, expect } from 'vitest'
import type { Report } from '../../harness/model/report.ts'
import {
  itRunsWithOnlyKnownDeviations,
  itWalksThroughInABrowser,
  interopTarget,
} from './support/interop-target.ts'

describe('interop: node-oidc-provider 9', () => {
  const provider = interopTarget('oidc-provider')
  // Most scenarios apply and pass, the code flow included.
  itRunsWithOnlyKnownDeviations(provider, {
    minPassed: 80,
    passing: ['code-flow/seed-walkthrough'],
    alsoExpect: (report) => {
      // The interaction cookie's path repeats its value (the interaction id): redacted there too.
      const paths = new Set(interactionCookiePaths(report))
      expect(paths).toContain('/interaction/[REDACTED]')
      const expected = ['/', '/interaction/[REDACTED]', '/auth/[REDACTED]']
      expect([...paths].filter((path) => !expected.includes(path))).toEqual([])
    },
  })

  // Chromium itself went through the provider's devInteractions login and consent pages.
  itWalksThroughInABrowser(provider, (exchange, issuer) =>
    exchange.request.url.startsWith(`${issuer}/interaction/`),
  )
})

/** The `path=` attributes of every `_interaction` cookie the provider set in the run. */
function interactionCookiePaths(report: Report): string[] {
  const headers = report.scenarios.flatMap((scenario) =>
    scenario.steps.flatMap((step) =>
      step.exchanges.map((exchange) => exchange.response?.headers['set-cookie'] ?? ''),
    ),
  )
  return headers
    .filter((header) => header.includes('_interaction'))
    .flatMap((header) => [...header.matchAll(/path=([^;,]+)/gi)].map((match) => match[1] ?? ''))
}
