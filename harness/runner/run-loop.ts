/**
 * Scheduling a run (the second of run.ts's three parts): scenarios that do not apply are skipped
 * first, the rest run in the seeded order under the limits of schedule.ts, each result is matched
 * to the expectations, redacted and handed to the reporters as it comes. `--bail` and an
 * interrupt leave the scenarios not yet started as not run.
 */
import type { LoadedScenario } from '../scenario/load.ts'
import type { ResolvedTarget } from '../model/target.ts'
import type { ScenarioResult } from '../model/result.ts'
import { isUnexpectedProblem } from '../verdicts/run-status.ts'
import { capStrings, PRE_REDACTION_CAP } from '../http/cap.ts'
import { excuseKnownDeviations } from './expectations.ts'
import { interruptMessage } from './interrupt.ts'
import { notApplicableReason } from './plan.ts'
import { shuffled } from './random.ts'
import { logsIn, runScheduled, scheduleLimits } from './schedule.ts'
import { runScenario } from './scenario.ts'
import { skipped } from './skipped.ts'
import { redactResult } from '../../reporters/redact-result.ts'
import { redactArtifacts } from './redact-artifacts.ts'
import { errorMessage } from './step.ts'
import type { RunContext } from './run-context.ts'

/** Runs every planned scenario; the (redacted) results by scenario id. */
export async function runPlanned(context: RunContext): Promise<Map<string, ScenarioResult>> {
  const { config, inputs, browser } = context
  const results = new Map<string, ScenarioResult>()
  let bailed = false
  const finish = async (result: ScenarioResult) => {
    const judged = await judgeResult(context, result)
    results.set(result.id, judged.redacted)
    // Set before the reporters are awaited: no scenario starts after a bail.
    if (config.bail && isUnexpectedProblem(judged.excused)) bailed = true
    await context.emit((r) => r.onScenarioEnd?.(judged.redacted))
  }
  const runnable: LoadedScenario[] = []
  for (const scenario of inputs.scenarios) {
    const reason = notApplicableReason(scenario, inputs.target)
    if (reason) await finish(skipped(scenario, reason))
    else runnable.push(scenario)
  }
  // Real-browser logins are capped near the CPU count (schedule.ts).
  const realBrowser = config.loginDriver !== 'http'
  const order = shuffled(runnable, config.seed).map((scenario) => ({
    item: scenario,
    browser: realBrowser && logsIn(scenario),
  }))
  // Chromium starts while the first HTTP steps run; the first authorization waits for it.
  if (order.some((entry) => entry.browser) || needsBrowserIat(inputs.target)) {
    void browser.warmUp()
  }
  const runOne = async (scenario: LoadedScenario) => {
    const notRun = bailed ? 'bail' : interruptedReason(inputs.signal)
    if (notRun !== undefined) return finish({ ...skipped(scenario, notRun), notRun: true })
    await finish(await runStarted(context, scenario))
  }
  await runScheduled(order, scheduleLimits(config.workers, inputs.target), runOne)
  return results
}

/** Why a scenario is not started after an interrupt; undefined while the run goes on. */
function interruptedReason(signal: AbortSignal | undefined): string | undefined {
  return signal?.aborted ? `not run: ${interruptMessage(signal)}` : undefined
}

/** One scenario, told to the reporters first; a harness fault is the scenario's error. */
async function runStarted(context: RunContext, scenario: LoadedScenario): Promise<ScenarioResult> {
  const { id, title } = scenario.doc
  await context.emit((r) => r.onScenarioStart?.({ id, title }))
  let result: ScenarioResult
  try {
    result = await runScenario(scenario, context.services)
  } catch (error) {
    const why = `harness fault: ${errorMessage(error)}`
    result = { ...skipped(scenario, why), outcome: 'errored' }
  }
  await context.browser.releaseScenario?.(id).catch(() => undefined)
  return result
}

/** Expectations applied, then redacted and cut to size. */
async function judgeResult(
  context: RunContext,
  result: ScenarioResult,
): Promise<{ excused: ScenarioResult; redacted: ScenarioResult }> {
  const { redactor } = context
  const excused = excuseKnownDeviations(result, context.inputs.expectations ?? [])
  // Cut with a margin, redacted, then cut to size: redaction never works through a 900 KB
  // value, and no cut leaves part of a secret shorter than the margin (http/cap.ts).
  const bounded = capStrings(excused, PRE_REDACTION_CAP) as ScenarioResult
  const redacted = capStrings(redactResult(bounded, redactor)) as ScenarioResult
  await redactArtifacts(excused, redactor)
  return { excused, redacted }
}

/** Whether initial access tokens come from a user login (`authorization_code` strategy). */
function needsBrowserIat(target: ResolvedTarget): boolean {
  return target.registration?.iat?.strategy === 'authorization_code'
}
