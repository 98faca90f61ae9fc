/**
 * A case as a scenario (suites/README.md): the fuzzer runs every case as one, and a finding's
 * reproduction is the same scenario with only the checks that failed, written as YAML that is
 * lint-clean when saved as `suites/fuzz/<name>.yaml`.
 */
import { stringify } from 'yaml'
import type { LoadedScenario } from '../scenario/load.ts'
import type { ScenarioDoc, StepDoc } from '../model/scenario.ts'
import type { FuzzCase } from './case.ts'
import {
  CREDENTIALS_ACCEPTED,
  REFUSED_CLIENT_CHECK,
  STEP,
  propertyChecks,
  refusedClientStep,
  type PropertyCheck,
} from './oracle.ts'

/** A case's scenario and its property checks (by id). */
export interface CaseScenario {
  doc: ScenarioDoc
  checks: PropertyCheck[]
}

export interface ScenarioText {
  /** `fuzz/<name>`: the id, and the path under `suites/` without `.yaml`. */
  id: string
  title: string
  description: string
}

/** The scenario of `fuzzCase`; with `only`, just those property checks (a reproduction). */
export function caseScenario(
  fuzzCase: FuzzCase,
  text: ScenarioText,
  only?: ReadonlySet<string>,
): CaseScenario {
  const all = [...propertyChecks(fuzzCase), REFUSED_CLIENT_CHECK]
  const checks = only ? all.filter((entry) => only.has(entry.id)) : all
  const registerChecks = checks.filter((entry) => entry.step === STEP)
  const refusedChecks = checks.filter((entry) => entry.step !== STEP)
  const register: StepDoc = {
    id: STEP,
    register: fuzzCase.rawBody
      ? { raw_body: fuzzCase.rawBody, content_type: 'application/json' }
      : { metadata: fuzzCase.metadata },
    ...(refusedChecks.length > 0 ? { continue: true } : {}),
    expect: [CREDENTIALS_ACCEPTED, ...registerChecks.map((entry) => entry.expectation)],
  }
  const steps = [register]
  if (refusedChecks.length > 0) {
    steps.push(refusedClientStep(refusedChecks.map((entry) => entry.expectation)))
  }
  const requirements = [...new Set(checks.map((entry) => entry.expectation.requirement))]
  return {
    doc: {
      id: text.id,
      title: text.title,
      description: text.description,
      requirements,
      tags: ['fuzz', fuzzCase.kind],
      steps,
    },
    checks,
  }
}

/** An in-memory scenario the runner accepts (no file behind it). */
export function loadedScenario(doc: ScenarioDoc, file: string): LoadedScenario {
  return {
    doc,
    file,
    relativeFile: file,
    suitesRoot: 'suites',
    locate: () => ({ file, line: 1, column: 1 }),
  }
}

/** The YAML file of a reproduction, with the schema line of suites/ files. */
export function scenarioYaml(doc: ScenarioDoc): string {
  const header = '# yaml-language-server: $schema=../../harness/scenario/scenario.schema.json\n'
  return header + stringify(doc, { lineWidth: 100, aliasDuplicateObjects: false })
}
