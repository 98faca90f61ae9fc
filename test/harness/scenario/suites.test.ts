import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { faultCatalogue } from '../../../reference-server/faults.ts'
import { SchemaRegistry } from '../../../harness/checks/schemas.ts'
import { lintScenarios } from '../../../harness/scenario/lint.ts'
import { loadScenarioFiles } from '../../../harness/scenario/load.ts'
import { loadVocabulary, repoRoot } from '../../../harness/scenario/vocabulary.ts'

// The project's own suites must pass the checks a user's run applies before sending anything.
describe('the suites of this repository', () => {
  it('load, and lint clean against the repository vocabulary and the fault catalogue', async () => {
    const root = repoRoot()
    const vocabulary = await loadVocabulary(root)
    const scenarios = await loadScenarioFiles([join(root, 'suites')], { cwd: root })
    expect(scenarios.length).toBeGreaterThan(0)
    const faults = new Set(faultCatalogue.map((fault) => fault.name))
    const errors = lintScenarios(scenarios, { ...vocabulary, faults }).map((error) => error.message)
    expect(errors).toEqual([])
    for (const scenario of scenarios) {
      expect(scenario.doc.id).toBe(
        scenario.relativeFile.replace(/^suites\//, '').replace(/\.ya?ml$/, ''),
      )
    }
  })

  it('name only schemas that compile', async () => {
    const registry = await SchemaRegistry.load()
    expect(registry.names()).toEqual([...(await loadVocabulary()).schemas])
  })
})
