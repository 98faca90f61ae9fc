/**
 * Developer convenience: `DCR_PROOF_ONLY=code-flow/,errors/` narrows the fault proof and the
 * clean reference run to scenarios whose id starts with one of the prefixes. Unset (CI), every
 * scenario is proven.
 */
import type { LoadedScenario } from '../../harness/scenario/load.ts'

export function selectedForProof(scenarios: LoadedScenario[]): LoadedScenario[] {
  const only = process.env['DCR_PROOF_ONLY']
  if (!only) return scenarios
  const prefixes = only.split(',').map((prefix) => prefix.trim()).filter(Boolean)
  return scenarios.filter((scenario) => prefixes.some((prefix) => scenario.doc.id.startsWith(prefix)))
}
