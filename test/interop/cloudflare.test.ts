/**
 * Interop: the whole suite against Cloudflare's @cloudflare/workers-oauth-provider 1.2
 * (cloudflare-server.ts: the library's code in Node, its Workers runtime emulated): open
 * registration, no RFC 7592, its MCP-shaped authorization server and protected route. Every
 * failure must be one of its documented deviations (expectations/cloudflare.yaml), no scenario may
 * be inconclusive, and every documented deviation must still happen (support/verdict-gate.ts).
 */
import { describe, expect } from 'vitest'
import { interopTarget, itRunsWithOnlyKnownDeviations } from './support/interop-target.ts'

describe('interop: Cloudflare workers-oauth-provider', () => {
  const cloudflare = interopTarget('cloudflare')
  const passing = [
    // The code flow through the library's consent helpers (our sign-in form in front of them):
    // tokens for a Basic client, PKCE enforced, and state kept byte for byte with an unknown scope.
    'code-flow/client-secret-basic',
    'code-flow/pkce-required-for-public-clients',
    'code-flow/state-echo-on-error',
    // Its protected route: the RFC 9728 challenge, and a token bound to that resource accepted.
    'mcp/resource-challenge',
    'mcp/resource-token-accepted',
  ]
  itRunsWithOnlyKnownDeviations(cloudflare, {
    minPassed: 80,
    passing,
    // The issuer is the origin as the library publishes it, without a trailing slash.
    alsoExpect: (report) => expect(report.target.issuer).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/),
  })
})
