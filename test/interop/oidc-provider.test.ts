/**
 * Interop: the whole suite against node-oidc-provider 9, started by targets.yaml's `provider:`
 * (specificity: the suite is not tuned to our own server). Every failure must be one of its
 * documented deviations (expectations/oidc-provider.yaml), no scenario may be
 * inconclusive, and every documented deviation must still happen (support/verdict-gate.ts).
 */
import { describe } from 'vitest'
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
  })

  // Chromium itself went through the provider's devInteractions login and consent pages.
  itWalksThroughInABrowser(provider, (exchange, issuer) =>
    exchange.request.url.startsWith(`${issuer}/interaction/`),
  )
})
