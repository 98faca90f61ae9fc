/**
 * The fault proof: every scenario fails against the reference server when one of the faults it
 * declares (`faults:`) is switched on, and every fault of the catalogue is caught by at least one
 * scenario. A scenario without faults, a fault nobody declares, a scenario the reference server
 * cannot run, or a declared fault that does not make its scenario fail all fail this file, each
 * with a list, so the proof cannot rot.
 *
 * Proven means: outcome `failed` (or `warned` for a scenario whose broken rule is a SHOULD, where a
 * failed `should` check is the strongest verdict the suite may give), never `errored`, with a
 * failed check that names one of the scenario's requirements.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { scenarioRequirements } from '../../harness/coverage.ts'
import { startReferenceTarget } from '../../harness/config/reference-target.ts'
import { runSuite } from '../../harness/run-suite.ts'
import { loadScenarioFiles, type LoadedScenario } from '../../harness/scenario/load.ts'
import { repoRoot } from '../../harness/scenario/vocabulary.ts'
import type { ScenarioResult } from '../../harness/types.ts'
import { capabilitiesFor, faultCatalogue, resolveConfig } from '../../reference-server/index.ts'

/**
 * Reference-server policies that switch on a capability its default policy lacks, so that the
 * scenarios requiring it can be proven too (their faults run under this policy).
 */
const CAPABILITY_POLICIES: Record<string, Record<string, unknown>> = {
  open_registration: { registration: { authentication: 'none' } },
}

/** Faults proven in parallel (each starts its own reference server). */
const PARALLEL_FAULTS = 4

const root = repoRoot()
const scenarios = await loadScenarioFiles([join(root, 'suites')], { cwd: root })
const faultNames = faultCatalogue.map((fault) => fault.name)

/** The reference policy a scenario needs (merged overrides of its `requires`), as a stable key. */
function policyOf(scenario: LoadedScenario): Record<string, unknown> | undefined {
  const overrides = (scenario.doc.requires ?? []).map((flag) => CAPABILITY_POLICIES[flag]).filter((p) => p !== undefined)
  if (overrides.length === 0) return undefined
  return overrides.reduce<Record<string, unknown>>((merged, policy) => deepMerge(merged, policy), {})
}

function deepMerge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key]
    const bothObjects = [current, value].every((v) => typeof v === 'object' && v !== null && !Array.isArray(v))
    out[key] = bothObjects ? deepMerge(current as Record<string, unknown>, value as Record<string, unknown>) : value
  }
  return out
}

/** Capabilities the reference server declares under a policy. */
function capabilitiesUnder(policy: Record<string, unknown> | undefined): string[] {
  return capabilitiesFor(resolveConfig(policy))
}

/** Why a scenario cannot run on the reference server (under its policy), if it cannot. */
function notProvableReason(scenario: LoadedScenario): string | undefined {
  const declared = new Set(capabilitiesUnder(policyOf(scenario)))
  const missing = (scenario.doc.requires ?? []).filter((flag) => flag !== 'core' && !declared.has(flag))
  return missing.length > 0 ? `requires ${missing.join(', ')}, which the reference server does not declare` : undefined
}

interface ProofGroup {
  fault: string
  policy?: Record<string, unknown>
  scenarios: LoadedScenario[]
}

/** One group per fault and policy: one reference server each. */
function proofGroups(): ProofGroup[] {
  const groups = new Map<string, ProofGroup>()
  for (const scenario of scenarios) {
    if (notProvableReason(scenario)) continue
    const policy = policyOf(scenario)
    for (const fault of scenario.doc.faults ?? []) {
      if (!faultNames.includes(fault)) continue
      const key = `${fault} ${JSON.stringify(policy ?? {})}`
      const group = groups.get(key) ?? { fault, ...(policy ? { policy } : {}), scenarios: [] }
      group.scenarios.push(scenario)
      groups.set(key, group)
    }
  }
  return [...groups.values()].sort((a, b) => a.fault.localeCompare(b.fault))
}

/** Why a result does not prove the scenario (undefined when it does). */
export function proofProblem(scenario: LoadedScenario, result: ScenarioResult | undefined): string | undefined {
  if (!result) return 'no result'
  if (result.outcome !== 'failed' && result.outcome !== 'warned') {
    const detail = result.message ?? result.steps.find((step) => step.outcome === 'errored')?.message
    return `outcome ${result.outcome}${detail ? ` (${detail})` : ''}, expected failed`
  }
  const requirements = new Set(scenarioRequirements(scenario))
  const level = result.outcome === 'failed' ? 'must' : 'should'
  const named = result.steps.some((step) =>
    step.checks.some((check) => !check.ok && check.level === level && check.requirement !== undefined && requirements.has(check.requirement)),
  )
  return named ? undefined : `outcome ${result.outcome} but no failed ${level} check names one of ${[...requirements].join(', ')}`
}

async function prove(group: ProofGroup): Promise<string[]> {
  const reference = await startReferenceTarget({
    faults: [group.fault],
    ...(group.policy ? { config: group.policy } : {}),
  })
  try {
    const target = { ...reference.target, capabilities: capabilitiesUnder(group.policy) }
    const report = await runSuite({
      target,
      suite: group.scenarios.map((scenario) => scenario.file),
      loginDriver: 'http',
      workers: 4,
      cwd: root,
    })
    const results = new Map(report.scenarios.map((result) => [result.id, result]))
    return group.scenarios.flatMap((scenario) => {
      const problem = proofProblem(scenario, results.get(scenario.doc.id))
      return problem ? [`${scenario.doc.id} under ${group.fault}: ${problem}`] : []
    })
  } finally {
    await reference.close()
  }
}

describe('the fault proof', () => {
  it('every scenario declares at least one fault', () => {
    const without = scenarios.filter((scenario) => !(scenario.doc.faults?.length)).map((scenario) => scenario.relativeFile)
    expect(without).toEqual([])
  })

  it('every declared fault exists in the reference server catalogue', () => {
    const unknown = scenarios.flatMap((scenario) =>
      (scenario.doc.faults ?? []).filter((fault) => !faultNames.includes(fault)).map((fault) => `${scenario.doc.id}: ${fault}`),
    )
    expect(unknown).toEqual([])
  })

  it('every fault of the catalogue is declared by at least one scenario', () => {
    const declared = new Set(scenarios.flatMap((scenario) => scenario.doc.faults ?? []))
    expect(faultNames.filter((fault) => !declared.has(fault))).toEqual([])
  })

  it('every scenario can run on the reference server (default policy or a documented one)', () => {
    const unprovable = scenarios.flatMap((scenario) => {
      const reason = notProvableReason(scenario)
      return reason ? [`${scenario.doc.id}: ${reason}`] : []
    })
    expect(unprovable).toEqual([])
  })

  it('each declared fault makes its scenarios fail, naming one of their requirements', { timeout: 600_000 }, async () => {
    const groups = proofGroups()
    expect(groups.length).toBeGreaterThan(0)
    const problems: string[] = []
    let next = 0
    const worker = async () => {
      while (next < groups.length) {
        const group = groups[next++]!
        problems.push(...(await prove(group)))
      }
    }
    await Promise.all(Array.from({ length: PARALLEL_FAULTS }, worker))
    expect(problems.sort()).toEqual([])
  })
})
