import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startReferenceTarget } from '../../builtin/reference-target.ts'
import { runSuite } from '../../harness/run-suite.ts'
import { loadScenarioFiles } from '../../harness/scenario/load.ts'
import { repoRoot } from '../../harness/scenario/vocabulary.ts'
import type { ScenarioResult } from '../../harness/model/result.ts'
import { capabilitiesUnder, policyOf } from './policies.ts'
import { selectedForProof } from './selection.ts'

/** A line naming what went wrong in a scenario: its outcome, message and failed checks. */
function describeProblem(scenario: ScenarioResult): string {
  const failed = scenario.steps.flatMap((step) =>
    step.checks
      .filter((check) => !check.ok)
      .map((check) => `${step.id}: ${check.name}: ${check.message ?? ''}`),
  )
  const errored = scenario.steps
    .filter((step) => step.outcome === 'errored')
    .map((step) => `${step.id}: ${step.message ?? ''}`)
  return [
    `${scenario.id} ${scenario.outcome}${scenario.message ? ` (${scenario.message})` : ''}`,
    ...errored,
    ...failed,
  ].join('\n  ')
}

describe('the whole suite against the clean reference server', () => {
  it(
    'passes every applicable scenario and skips the others with a reason',
    { timeout: 300_000 },
    async () => {
      const root = repoRoot()
      const all = await loadScenarioFiles([join(root, 'suites')], { cwd: root })
      const suite = selectedForProof(all).map((scenario) => scenario.file)
      const report = await runSuite({ target: 'reference', loginDriver: 'http', workers: 4, suite })
      const problems = report.scenarios.filter(
        (scenario) =>
          !(
            scenario.outcome === 'passed' ||
            (scenario.outcome === 'skipped' && Boolean(scenario.message))
          ),
      )
      expect(problems.map(describeProblem)).toEqual([])
      expect(report.status).toBe('passed')
      // A narrowed developer run (DCR_PROOF_ONLY) has fewer scenarios; the whole suite has many.
      if (suite.length === all.length) expect(report.counts.passed).toBeGreaterThan(100)
      // A skip always says why: a capability the target lacks, or a feature it does not have.
      for (const scenario of report.scenarios.filter((s) => s.outcome === 'skipped')) {
        expect(scenario.message, scenario.id).toMatch(/capabilit|^not applicable: /)
      }
    },
  )
})

describe('scenarios that need another reference policy', () => {
  it(
    'pass on the clean reference server started with that policy',
    { timeout: 120_000 },
    async () => {
      const root = repoRoot()
      const scenarios = (await loadScenarioFiles([join(root, 'suites')], { cwd: root })).filter(
        (s) => policyOf(s),
      )
      expect(scenarios.length).toBeGreaterThan(0)
      const byPolicy = new Map<string, typeof scenarios>()
      for (const scenario of scenarios) {
        const key = JSON.stringify(policyOf(scenario))
        byPolicy.set(key, [...(byPolicy.get(key) ?? []), scenario])
      }
      for (const [key, group] of byPolicy) {
        const policy = JSON.parse(key) as Record<string, unknown>
        const reference = await startReferenceTarget({ config: policy })
        try {
          const target = { ...reference.target, capabilities: capabilitiesUnder(policy) }
          const report = await runSuite({
            target,
            suite: group.map((s) => s.file),
            loginDriver: 'http',
            cwd: root,
          })
          const problems = report.scenarios.filter((scenario) => scenario.outcome !== 'passed')
          expect(problems.map(describeProblem), key).toEqual([])
          expect(report.scenarios).toHaveLength(group.length)
        } finally {
          await reference.close()
        }
      }
    },
  )
})
