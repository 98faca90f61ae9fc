/**
 * Interop: the whole suite against the MCP TypeScript SDK's authorization server
 * (@modelcontextprotocol/sdk `mcpAuthRouter`, see mcp-sdk-server.ts): open registration, no
 * RFC 7592, no login page. Every failure must be one of its documented deviations
 * (expectations/mcp-sdk.yaml), no scenario may be inconclusive, and every documented deviation
 * must still happen (support/verdict-gate.ts).
 */
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runSuite } from '../../harness/run-suite.ts'
import type { Report } from '../../harness/types.ts'
import { startMcpSdkServer, type McpSdkServer } from './mcp-sdk-server.ts'
import { expectEveryDeviationMet, expectOnlyKnownDeviations } from './support/verdict-gate.ts'

const root = fileURLToPath(new URL('../../', import.meta.url))

describe('interop: MCP TypeScript SDK authorization server', () => {
  let server: McpSdkServer | undefined
  let report: Report | undefined

  beforeAll(async () => {
    server = await startMcpSdkServer()
  })

  afterAll(async () => {
    await server?.close()
  })

  it('runs the full suite with only the documented deviations', async () => {
    if (!server) throw new Error('the MCP SDK server did not start')
    report = await runSuite({
      target: 'mcp-sdk',
      targetsFile: 'targets.yaml',
      cwd: root,
      env: { ...process.env, ...server.env },
      loginDriver: 'http',
    })
    expectOnlyKnownDeviations(report, 'expectations/mcp-sdk.yaml')
    // A real run: the code flow of a freshly registered client completes without a login page
    // (the SDK approves at once), codes and refresh tokens included.
    expect(report.counts.passed).toBeGreaterThan(40)
    for (const id of ['code-flow/client-secret-post', 'code-flow/code-reuse', 'code-flow/refresh-rotation-public-client']) {
      expect(report.scenarios.find((s) => s.id === id)?.outcome, id).toBe('passed')
    }
    expect(report.target.issuer).toBe(server.issuer)
  }, 300_000)

  it('documents every deviation with its evidence, and each one still happens', () => {
    expectEveryDeviationMet(report)
  })
})
