/**
 * Lint of the verdict rules (docs/verdicts.md): a check's level is its requirement's catalog
 * level unless it says why (`level_reason`); a precondition may name what it `violates`, a
 * verdict may not; every scenario tests each requirement it lists with at least one check.
 */
import type { Expectation, Level, ScenarioDoc, StepDoc } from '../model/scenario.ts'

type Path = (string | number)[]
type Report = (path: Path, reason: string) => void

/** Catalog levels by requirement id (from a `loadVocabulary` map of `{ level }` rows). */
export function catalogLevels(requirements: ReadonlyMap<string, unknown> | ReadonlySet<string>) {
  const levels = new Map<string, Level>()
  if (!(requirements instanceof Map)) return levels
  for (const [id, row] of requirements as ReadonlyMap<string, unknown>) {
    const level = (row as { level?: unknown } | undefined)?.level
    if (level === 'must' || level === 'should' || level === 'may') levels.set(id, level)
  }
  return levels
}

/** A step's expectations with their paths in the scenario file. */
export function expectationsOf(step: StepDoc): { expectation: Expectation; path: Path }[] {
  if (step.expect === undefined) return []
  if (Array.isArray(step.expect))
    return step.expect.map((expectation, index) => ({ expectation, path: ['expect', index] }))
  return [{ expectation: step.expect, path: ['expect'] }]
}

function lintExpectation(
  step: StepDoc,
  expectation: Expectation,
  at: Path,
  levels: ReadonlyMap<string, Level>,
  error: Report,
): string | undefined {
  const requirement = expectation.requirement ?? step.requirement
  if (requirement === undefined) {
    if (expectation.level_reason !== undefined)
      error([...at, 'level_reason'], 'a precondition (no requirement) has no level to explain')
    return undefined
  }
  if (expectation.violates !== undefined) {
    error(
      [...at, 'violates'],
      `"violates" is for preconditions; this check proves ${requirement} itself`,
    )
  }
  const level = expectation.level ?? step.level ?? 'must'
  const catalog = levels.get(requirement)
  if (catalog && level !== catalog && expectation.level_reason === undefined) {
    const where: Path = expectation.level !== undefined ? [...at, 'level'] : at
    error(
      where,
      `level ${level} differs from the catalog level ${catalog} of ${requirement}: use ${catalog}, or say why in level_reason`,
    )
  }
  return requirement
}

/**
 * Lints one scenario's checks; `error` locates each problem. `known`: any catalog id (tested or
 * untested); `isTested`: ids a scenario may cite.
 */
export function lintVerdictRules(
  doc: ScenarioDoc,
  levels: ReadonlyMap<string, Level>,
  known: (id: string) => boolean,
  error: Report,
  isTested: (id: string) => boolean = known,
): void {
  const tested = new Set<string>()
  for (const list of ['steps', 'cleanup'] as const) {
    doc[list]?.forEach((step, index) => {
      for (const { expectation, path } of expectationsOf(step)) {
        const at: Path = [list, index, ...path]
        const cited = lintExpectation(step, expectation, at, levels, error)
        if (cited) tested.add(cited)
        const violates = expectation.violates
        if (violates !== undefined && !known(violates))
          error([...at, 'violates'], `unknown requirement "${violates}"`)
      }
    })
  }
  if (tested.size === 0) {
    error(['requirements'], 'no check names a requirement: a scenario must test something (docs/verdicts.md)')
    return
  }
  doc.requirements.forEach((id, index) => {
    // Unknown and untested ids have their own error (lint.ts); only known ones must be tested.
    if (!tested.has(id) && isTested(id))
      error(['requirements', index], `no check of this scenario tests ${id}`)
  })
}
