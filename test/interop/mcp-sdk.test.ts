/**
 * Interop: the whole suite against the MCP TypeScript SDK's authorization server
 * (@modelcontextprotocol/sdk `mcpAuthRouter`, see mcp-sdk-server.ts): open registration, no
 * RFC 7592, no login page. Every failure must be one of its documented deviations
 * (expectations/mcp-sdk.yaml), no scenario may be inconclusive, and every documented deviation
 * must still happen (support/verdict-gate.ts).
 */
import { describe, expect } from 'vitest'
import { startMcpSdkServer } from './mcp-sdk-server.ts'
import { itRunsWithOnlyKnownDeviations, useInteropTarget } from './support/interop-target.ts'

describe('interop: MCP TypeScript SDK authorization server', () => {
  const sdk = useInteropTarget('mcp-sdk', startMcpSdkServer)
  itRunsWithOnlyKnownDeviations(sdk, 'expectations/mcp-sdk.yaml', (report) => {
    // A real run: the code flow of a freshly registered client completes without a login page
    // (the SDK approves at once), codes and refresh tokens included.
    expect(report.counts.passed).toBeGreaterThan(40)
    for (const id of ['code-flow/client-secret-post', 'code-flow/code-reuse', 'code-flow/refresh-rotation-public-client']) {
      expect(report.scenarios.find((s) => s.id === id)?.outcome, id).toBe('passed')
    }
    // The MCP server is the SDK's stateful transport (400 without Mcp-Session-Id): the scenarios
    // presenting a token open a session with initialize, and pass.
    for (const id of ['mcp/resource-challenge', 'mcp/resource-token-accepted', 'mcp/loopback-any-port']) {
      expect(report.scenarios.find((s) => s.id === id)?.outcome, id).toBe('passed')
    }
    expect(report.target.issuer).toBe(sdk.server().issuer)
  })
})
