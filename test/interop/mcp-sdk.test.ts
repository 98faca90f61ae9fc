/**
 * Interop: the whole suite against the MCP TypeScript SDK's authorization server
 * (@modelcontextprotocol/sdk `mcpAuthRouter`, see mcp-sdk-server.ts): open registration, no
 * RFC 7592, no login page. Every failure must be one of its documented deviations
 * (expectations/mcp-sdk.yaml), no scenario may be inconclusive but for one a documented
 * deviation blocks, and every documented deviation must still happen (support/verdict-gate.ts).
 */
import { describe, expect } from 'vitest'
import type { Report } from '../../harness/model/report.ts'
import { interopTarget, itRunsWithOnlyKnownDeviations } from './support/interop-target.ts'

describe('interop: MCP TypeScript SDK authorization server', () => {
  const sdk = interopTarget('mcp-sdk')
  const passing = [
    // The code flow of a freshly registered client completes without a login page (the SDK
    // approves at once), codes and refresh tokens included.
    'code-flow/client-secret-post',
    'code-flow/code-reuse',
    'code-flow/refresh-rotation-public-client',
    // The MCP server is the SDK's stateful transport (400 without Mcp-Session-Id): the scenarios
    // presenting a token open a session with initialize, and pass; its scope hint
    // (requiredScopes) suffices, and a loopback redirect URI never redirects to another host.
    'mcp/resource-challenge',
    'mcp/resource-token-accepted',
    'mcp/loopback-any-port',
    'mcp/scope-from-challenge',
    'mcp/loopback-other-host',
  ]
  // Basic works for no client (R6749-2.3.1-a, documented): whether a response without
  // token_endpoint_auth_method states the method in force cannot be told apart from that.
  const blocked = { 'registration/defaults-echoed': 'R6749-2.3.1-a' }
  itRunsWithOnlyKnownDeviations(sdk, {
    minPassed: 40,
    passing,
    alsoExpect: cimdSkippedAndIssuer,
    blocked,
  })
})

/**
 * The SDK does not advertise client_id_metadata_document_supported, and the target has no cimd:
 * block: the CIMD scenarios are not applicable by capability, never failed. The issuer is as the
 * SDK publishes it (trailing /).
 */
function cimdSkippedAndIssuer(report: Report): void {
  const cimd = report.scenarios.filter((s) => s.id.startsWith('mcp/cimd-'))
  expect(cimd.length).toBeGreaterThan(0)
  for (const scenario of cimd) expect(scenario.outcome, scenario.id).toBe('skipped')
  expect(report.target.issuer.endsWith('/')).toBe(true)
}
