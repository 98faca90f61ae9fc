/**
 * The fault proof: every scenario fails against the reference server when one of the faults it
 * declares (`faults:`) is switched on, and every fault of the catalogue is caught by at least one
 * scenario. A scenario without faults, a fault nobody declares, a scenario the reference server
 * cannot run, or a declared fault that does not make its scenario fail all fail this file, each
 * with a list, so the proof cannot rot.
 *
 * Proven means (test/suites/proof.ts): a check citing one of the fault's own requirements fails,
 * or warns for a SHOULD rule. A failed precondition or a failure on another requirement does not
 * count, so a fault that merely breaks a set-up step proves nothing.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startReferenceTarget } from '../../builtin/reference-target.ts'
import { runSuite } from '../../harness/run-suite.ts'
import { loadScenarioFiles, type LoadedScenario } from '../../harness/scenario/load.ts'
import { repoRoot } from '../../harness/scenario/vocabulary.ts'
import { faultCatalogue } from '../../reference-server/index.ts'
import { capabilitiesUnder, policyOf } from './policies.ts'
import { proofProblem } from './proof.ts'
import { selectedForProof } from './selection.ts'

/** Faults proven in parallel (each starts its own reference server). */
const PARALLEL_FAULTS = 4

const root = repoRoot()
const scenarios = await loadScenarioFiles([join(root, 'suites')], { cwd: root })
const faultNames = faultCatalogue.map((fault) => fault.name)

/** The requirements a fault declares it violates. */
function requirementsOf(fault: string): string[] {
  return faultCatalogue.find((entry) => entry.name === fault)?.requirements ?? []
}

/** Why a scenario cannot run on the reference server (under its policy), if it cannot. */
function notProvableReason(scenario: LoadedScenario): string | undefined {
  const declared = new Set(capabilitiesUnder(policyOf(scenario)))
  const missing = (scenario.doc.requires ?? []).filter(
    (flag) => flag !== 'core' && !declared.has(flag),
  )
  return missing.length > 0
    ? `requires ${missing.join(', ')}, which the reference server does not declare`
    : undefined
}

interface ProofGroup {
  fault: string
  policy?: Record<string, unknown>
  scenarios: LoadedScenario[]
}

/** One group per fault and policy: one reference server each. */
function proofGroups(): ProofGroup[] {
  const groups = new Map<string, ProofGroup>()
  for (const scenario of selectedForProof(scenarios)) {
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
      const problem = proofProblem(results.get(scenario.doc.id), requirementsOf(group.fault))
      return problem ? [`${scenario.doc.id} under ${group.fault}: ${problem}`] : []
    })
  } finally {
    await reference.close()
  }
}

describe('the fault proof', () => {
  it('every scenario declares at least one fault', () => {
    const without = scenarios
      .filter((scenario) => !scenario.doc.faults?.length)
      .map((scenario) => scenario.relativeFile)
    expect(without).toEqual([])
  })

  it("every declared fault breaks one of the scenario's requirements", () => {
    const unrelated = scenarios.flatMap((scenario) =>
      (scenario.doc.faults ?? [])
        .filter((fault) => faultNames.includes(fault))
        .filter((fault) => !requirementsOf(fault).some((id) => scenario.doc.requirements.includes(id)))
        .map((fault) => `${scenario.doc.id}: ${fault} breaks ${requirementsOf(fault).join(', ')}`),
    )
    expect(unrelated).toEqual([])
  })

  it('every declared fault exists in the reference server catalogue', () => {
    const unknown = scenarios.flatMap((scenario) =>
      (scenario.doc.faults ?? [])
        .filter((fault) => !faultNames.includes(fault))
        .map((fault) => `${scenario.doc.id}: ${fault}`),
    )
    expect(unknown).toEqual([])
  })

  it('every fault of the catalogue is declared by at least one scenario', () => {
    const declared = new Set(scenarios.flatMap((scenario) => scenario.doc.faults ?? []))
    // Faults with `proof: fuzz` are proven by the fuzzer (test/harness/fuzz/faults.test.ts).
    const byScenarios = faultCatalogue.filter((fault) => fault.proof !== 'fuzz')
    expect(byScenarios.map((f) => f.name).filter((fault) => !declared.has(fault))).toEqual([])
  })

  it('every scenario can run on the reference server (default policy or a documented one)', () => {
    const unprovable = scenarios.flatMap((scenario) => {
      const reason = notProvableReason(scenario)
      return reason ? [`${scenario.doc.id}: ${reason}`] : []
    })
    expect(unprovable).toEqual([])
  })

  it(
    "each declared fault fails a check citing one of the fault's requirements",
    { timeout: 600_000 },
    async () => {
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
    },
  )
})
