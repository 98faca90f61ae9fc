import { describe, expect, it } from 'vitest'
import { faultCatalogue } from '../../reference-server/faults.ts'
import { lintScenarios } from '../../harness/scenario/lint.ts'
import { loadScenarioFiles } from '../../harness/scenario/load.ts'
import { loadVocabulary, repoRoot } from '../../harness/scenario/vocabulary.ts'
import { join } from 'node:path'
import { catalogRowIds } from './catalog-rows.ts'

describe('the scenario suite', () => {
  it('loads (YAML and scenario schema) and lints clean against the vocabulary and the fault catalogue', async () => {
    const root = repoRoot()
    const scenarios = await loadScenarioFiles([join(root, 'suites')], { cwd: root })
    const vocabulary = await loadVocabulary(root)
    const errors = lintScenarios(scenarios, {
      ...vocabulary,
      faults: new Set(faultCatalogue.map((fault) => fault.name)),
    })
    expect(errors.map((error) => error.message)).toEqual([])
    expect(scenarios.length).toBeGreaterThan(100)
  })

  it('lists every catalog requirement exactly once, tested or untested with a category and reason', async () => {
    const vocabulary = await loadVocabulary()
    const ids = [...vocabulary.requirements.keys(), ...vocabulary.untested.keys()]
    expect([...ids].sort()).toEqual((await catalogRowIds()).sort())
    expect(new Set(ids).size).toBe(ids.length)
    for (const row of vocabulary.untested.values())
      expect(row.reason.length, row.id).toBeGreaterThan(20)
  })
})
