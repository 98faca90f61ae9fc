/**
 * Assembling the report (the last of run.ts's three parts): results in plan order, the verdict
 * per requirement, root causes, expectations met or stale, clients left behind, notices and the
 * caveat of a plain-http target. The status and exit-code rules are in verdicts/run-status.ts.
 */
import type { ScenarioResult } from '../model/result.ts'
import type { Report } from '../model/report.ts'
import { countOutcomes, nothingJudgedReason, statusOf } from '../verdicts/run-status.ts'
import { requirementVerdicts } from '../verdicts/requirements.ts'
import { rootCauses } from '../verdicts/root-causes.ts'
import { packageVersion } from '../package-root.ts'
import { deviationOutcomes } from './expectations.ts'
import { interruptMessage } from './interrupt.ts'
import type { Leftover } from './ledger.ts'
import type { RunContext } from './run-context.ts'

/** What a plain-http target's report says instead of a verdict on transport security. */
export const PLAIN_HTTP_CAVEAT =
  'transport security not verified: the target declares plain_http (cleartext http for local development), so the https checks were not applicable'

export const TOOL = { name: 'dcr-conformance', version: packageVersion() }

export function assembleReport(
  context: RunContext,
  results: ReadonlyMap<string, ScenarioResult>,
  leftovers: Leftover[],
): Report {
  const { inputs, config, redactor, notices } = context
  const { target, signal } = inputs
  const scenarios = inputs.scenarios
    .map((s) => results.get(s.doc.id))
    .filter((r): r is ScenarioResult => !!r)
  const expectations = inputs.expectations
    ? deviationOutcomes(inputs.expectations, scenarios)
    : undefined
  const shard = { shard: inputs.shard !== undefined }
  const status = signal?.aborted ? 'interrupted' : statusOf(scenarios, expectations ?? [], shard)
  return {
    schemaVersion: 1,
    tool: TOOL,
    target: { name: target.name, issuer: target.issuer },
    startedAt: context.startedAt.toISOString(),
    durationMs: Math.round(performance.now() - context.started),
    seed: config.seed,
    status,
    ...reasonOf(signal, scenarios, status),
    ...(inputs.shard ? { shard: inputs.shard } : {}),
    counts: countOutcomes(scenarios),
    scenarios,
    requirements: requirementVerdicts(scenarios, inputs.catalog),
    rootCauses: rootCauses(scenarios),
    ...(expectations ? { expectations } : {}),
    ...(leftovers.length > 0 ? { leftovers: redactor.redactValue(leftovers) } : {}),
    ...(notices.length > 0 ? { notices: [...notices] } : {}),
    ...(target.capabilities.includes('plain_http') ? { caveats: [PLAIN_HTTP_CAVEAT] } : {}),
  }
}

/** Why the run ended as it did, when the scenarios do not say it: an interrupt, or no verdict. */
function reasonOf(
  signal: AbortSignal | undefined,
  scenarios: readonly ScenarioResult[],
  status: Report['status'],
): { reason?: string } {
  if (signal?.aborted) return { reason: interruptMessage(signal) }
  const why = nothingJudgedReason(scenarios, status)
  return why ? { reason: why } : {}
}
