/**
 * One token problem, one verdict on the right requirement
 * (harness/verdicts/credentials-refused.ts):
 * - a server that refuses every initial access token fails only the scenarios about its tokens;
 *   every other registration is inconclusive under one root cause, never a failure of the
 *   metadata requirements its refusals never reached;
 * - a target configured without a token (a bare issuer URL: strategy none) against a server that
 *   requires one fails nothing either, and the root cause says to configure registration.iat.
 */
import { describe, expect, it } from 'vitest'
import { startReferenceTarget } from '../../builtin/reference-target.ts'
import { runSuite } from '../../harness/run-suite.ts'
import { repoRoot } from '../../harness/scenario/vocabulary.ts'
import type { Report } from '../../harness/model/report.ts'
import type { TargetConfig } from '../../harness/model/target.ts'
import { CREDENTIALS_REFUSED_CHECK } from '../../harness/verdicts/credentials-refused.ts'

const root = repoRoot()

async function run(faults: string[], adjust = (t: TargetConfig) => t): Promise<Report> {
  const reference = await startReferenceTarget({ faults })
  try {
    const target = adjust(reference.target)
    return await runSuite({ target, loginDriver: 'http', workers: 4, cwd: root })
  } finally {
    await reference.close()
  }
}

/** The requirements of the failed must checks, per failed scenario. */
function failedRequirements(report: Report): Record<string, string[]> {
  const failed = report.scenarios.filter((scenario) => scenario.outcome === 'failed')
  return Object.fromEntries(
    failed.map((scenario) => {
      const checks = scenario.steps.flatMap((step) => step.checks)
      const broken = checks.filter((check) => !check.ok && check.level === 'must')
      return [scenario.id, [...new Set(broken.map((check) => check.requirement ?? '-'))]]
    }),
  )
}

/** The scenarios blocked by the refused run credentials, over all root causes. */
function blockedByCredentials(report: Report): string[] {
  return report.rootCauses
    .filter((cause) => cause.cause.includes(CREDENTIALS_REFUSED_CHECK))
    .flatMap((cause) => cause.scenarios)
}

describe('a refused initial access token is one verdict, not a cascade', () => {
  it('every IAT refused: only CUR-IAT-1 fails', { timeout: 180_000 }, async () => {
    const report = await run(['iat-never-accepted'])
    expect(report.scenarios.filter((s) => s.outcome === 'errored').map((s) => s.id)).toEqual([])
    const failed = failedRequirements(report)
    expect(Object.keys(failed)).toContain('initial-access-token/obtained-by-client-credentials')
    expect(new Set(Object.values(failed).flat())).toEqual(new Set(['CUR-IAT-1']))
    expect(blockedByCredentials(report).length).toBeGreaterThan(100)
  })

  it('a target without a token (strategy none) fails nothing', { timeout: 180_000 }, async () => {
    const report = await run([], (target) => ({
      ...target,
      registration: {},
      capabilities: (target.capabilities ?? []).filter((flag) => flag !== 'iat_required'),
    }))
    expect(report.scenarios.filter((s) => s.outcome === 'errored').map((s) => s.id)).toEqual([])
    expect(failedRequirements(report)).toEqual({})
    expect(blockedByCredentials(report).length).toBeGreaterThan(100)
  })
})
