/**
 * One case against the target: its scenario through the runner (the same steps, checks and
 * verdict rules as `run`), and what failed, by property id. An errored or inconclusive scenario
 * means the stage was not set (transport, IAT, a 401): that is a set-up problem, never a finding
 * (docs/verdicts.md).
 */
import { runScenario } from '../runner/scenario.ts'
import type { RunServices } from '../runner/run-services.ts'
import type { CheckResult, ScenarioResult } from '../model/result.ts'
import type { FuzzCase } from './case.ts'
import { caseScenario, loadedScenario } from './scenario.ts'

export interface CaseRun {
  /** Property ids whose check failed (or warned), in check order. */
  failed: string[]
  result: ScenarioResult
  /** Why the case could not be judged (errored or inconclusive scenario). */
  setupProblem?: string
}

const RUN_TEXT = { id: 'fuzz/case', title: 'fuzz case', description: 'one generated case' }

export async function runCase(fuzzCase: FuzzCase, services: RunServices): Promise<CaseRun> {
  const { doc, checks } = caseScenario(fuzzCase, RUN_TEXT)
  const result = await runScenario(loadedScenario(doc, 'fuzz/case.yaml'), services)
  if (result.outcome === 'errored' || result.outcome === 'inconclusive') {
    return { failed: [], result, setupProblem: setupProblemOf(result) }
  }
  const key = (step: string, name: string) => `${step}\u0000${name}`
  const byName = new Map(checks.map((entry) => [key(entry.step, entry.expectation.name), entry.id]))
  const failed: string[] = []
  for (const step of result.steps) {
    for (const checkResult of step.checks) {
      if (!failedVerdict(checkResult)) continue
      const id = byName.get(key(step.id, checkResult.name))
      if (id !== undefined && !failed.includes(id)) failed.push(id)
    }
  }
  return { failed, result }
}

function failedVerdict(check: CheckResult): boolean {
  return !check.ok && check.requirement !== undefined && check.level !== 'may'
}

function setupProblemOf(result: ScenarioResult): string {
  const step = result.steps.find((s) => s.outcome === 'errored' || s.outcome === 'inconclusive')
  const blocker = result.blocker
  if (blocker) return `${blocker.step}: ${blocker.answer}`
  return `${step?.id ?? 'register'}: ${step?.message ?? result.message ?? result.outcome}`
}
