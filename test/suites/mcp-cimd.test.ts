/**
 * suites/mcp/ CIMD scenarios against targets that declare less than the built-in one, or a
 * reference server tuned like a conformant vendor's, where the draft leaves the server room:
 * - without `cimd_loopback_guard` the SSRF scenario is skipped (a server relaxing §8.6 for all of
 *   loopback in development is conformant);
 * - without `cimd_no_cache_floor` a kept document only informs (§5.2 allows a lower bound);
 * - a server reading up to 64 KiB meets §8.7: the 8 KiB document informs, the 1 MiB one passes.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startReferenceTarget } from '../../builtin/reference-target.ts'
import type { ScenarioResult } from '../../harness/model/result.ts'
import { runSuite } from '../../harness/run-suite.ts'
import { repoRoot } from '../../harness/scenario/vocabulary.ts'

const root = repoRoot()
/** Each test starts a reference server and runs one scenario with logins. */
const TIMEOUT = { timeout: 60_000 }

async function runOne(
  id: string,
  options: { faults?: string[]; config?: Record<string, unknown>; without?: string },
): Promise<ScenarioResult> {
  const reference = await startReferenceTarget(options)
  try {
    const capabilities = (reference.target.capabilities ?? []).filter((c) => c !== options.without)
    const report = await runSuite({
      target: { ...reference.target, capabilities },
      suite: [join(root, 'suites', 'mcp', `${id}.yaml`)],
      loginDriver: 'http',
      cwd: root,
    })
    const [result] = report.scenarios
    if (!result) throw new Error(`no result for ${id}`)
    return result
  } finally {
    await reference.close()
  }
}

const stepOf = (result: ScenarioResult, id: string) => result.steps.find((s) => s.id === id)

describe('suites/mcp/ CIMD scenarios where the draft leaves the server room', () => {
  it('skips the SSRF scenario for a target without cimd_loopback_guard', TIMEOUT, async () => {
    const result = await runOne('cimd-loopback-ssrf', {
      faults: ['cimd-loopback-fetched'],
      without: 'cimd_loopback_guard',
    })
    expect(result.outcome).toBe('skipped')
    expect(result.message).toMatch(/cimd_loopback_guard/)
  })

  it('only informs on a kept document without cimd_no_cache_floor', TIMEOUT, async () => {
    const result = await runOne('cimd-cache-headers', {
      faults: ['cimd-cache-ignores-headers'],
      without: 'cimd_no_cache_floor',
    })
    expect(result.outcome).toBe('passed')
    expect(stepOf(result, 'judged')?.outcome).toBe('skipped')
    const informed = stepOf(result, 'informed')?.checks ?? []
    expect(informed.map((c) => [c.requirement, c.level, c.ok])).toEqual([
      ['MCP-CIMD-g', 'may', false],
      ['MCP-CIMD-g', 'may', false],
    ])
  })

  it('does not warn a server whose read limit is 64 KiB', TIMEOUT, async () => {
    const result = await runOne('cimd-oversize', { config: { cimd: { max_bytes: 64 * 1024 } } })
    expect(result.outcome).toBe('passed')
    const informed = stepOf(result, 'oversize')?.checks ?? []
    expect(informed.map((c) => [c.level, c.ok])).toEqual([['may', false]])
    const judged = stepOf(result, 'unlimited')?.checks ?? []
    expect(judged.map((c) => [c.level, c.ok])).toEqual([['should', true]])
  })
})
