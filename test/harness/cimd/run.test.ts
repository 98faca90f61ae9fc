/**
 * A target described like a vendor's (a `cimd:` block, the capability not declared): the run
 * starts the publisher from the block, derives `client_id_metadata_documents` from the metadata,
 * and the CIMD code flow passes against a reference server trusting that listener.
 */
import { createServer } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startReferenceTarget } from '../../../builtin/reference-target.ts'
import { runSuite } from '../../../harness/run-suite.ts'
import { runningPublisher } from '../../../harness/cimd/registry.ts'
import { packagePath } from '../../../harness/package-root.ts'
import { repoRoot } from '../../../harness/scenario/vocabulary.ts'

const tlsFolder = packagePath('fixtures', 'tls')

/** A port free a moment ago, for a listener whose origin the server must know before it starts. */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe("a target's cimd: block in a run", () => {
  it(
    'starts the publisher for the run, derives the capability, and the code flow passes',
    { timeout: 120_000 },
    async () => {
      const port = await freePort()
      const origin = `https://127.0.0.1:${port}`
      const reference = await startReferenceTarget({
        config: { cimd: { trusted_origins: [origin] } },
      })
      try {
        const target = {
          ...reference.target,
          name: 'vendor-like',
          capabilities: (reference.target.capabilities ?? []).filter(
            (c) => c !== 'client_id_metadata_documents',
          ),
          cimd: {
            listen: `127.0.0.1:${port}`,
            tls: { cert: join(tlsFolder, 'server.pem'), key: join(tlsFolder, 'server-key.pem') },
          },
        }
        const report = await runSuite({
          target,
          suite: [join(repoRoot(), 'suites', 'mcp', 'cimd-code-flow.yaml')],
          loginDriver: 'http',
          cwd: repoRoot(),
        })
        const [result] = report.scenarios
        expect(
          result?.outcome,
          JSON.stringify(result?.steps.map((s) => [s.id, s.outcome, s.message])),
        ).toBe('passed')
        // The verdict is the redeemed code (fetching the document is a SHOULD, a precondition).
        const verdict = result?.steps.find((step) => step.id === 'redeem')
        expect(
          verdict?.checks.some((check) => check.requirement === 'MCP-CIMD-i' && check.ok),
        ).toBe(true)
        // The run closed the publisher it started.
        expect(runningPublisher(origin)).toBeUndefined()
      } finally {
        await reference.close()
      }
    },
  )

  it(
    'leaves every CIMD scenario inconclusive when the server cannot reach the publisher',
    { timeout: 180_000 },
    async () => {
      // The reference server trusts only its own publisher: the run's, on another port, is a
      // loopback origin it refuses to fetch, as a tunnel that is down would look.
      const reference = await startReferenceTarget()
      try {
        const target = {
          ...reference.target,
          name: 'unreachable-publisher',
          cimd: {
            tls: { cert: join(tlsFolder, 'server.pem'), key: join(tlsFolder, 'server-key.pem') },
          },
        }
        const report = await runSuite({
          target,
          suite: [join(repoRoot(), 'suites', 'mcp')],
          grep: 'cimd-',
          loginDriver: 'http',
          cwd: repoRoot(),
        })
        const outcomes = Object.fromEntries(
          report.scenarios.map((result) => [result.id, result.outcome]),
        )
        const advertised = 'mcp/cimd-code-flow'
        expect(Object.keys(outcomes).length).toBeGreaterThanOrEqual(10)
        for (const [id, outcome] of Object.entries(outcomes))
          expect(outcome, id).toBe('inconclusive')
        const blocker = report.scenarios.find((result) => result.id === advertised)?.blocker
        expect(JSON.stringify(blocker)).toMatch(/out of its reach/)
      } finally {
        await reference.close()
      }
    },
  )
})
