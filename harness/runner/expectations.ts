/**
 * Expectations files: a target's known deviations, each naming the requirement it breaks,
 * optionally narrowed to a scenario and a check, with the evidence (docs/verdicts.md). An entry
 * excuses only failed checks that cite its requirement; any other failure still fails the run,
 * and an entry whose requirement now holds where it was tested is stale.
 *
 * ```yaml
 * expectations:
 *   - requirement: R7591-3.2.1-a
 *     scenario: registration/status-201-created   # optional
 *     reason: "POST /register answers 200 OK; fixed in 4.2 (ACME-123)"
 * ```
 */
import { FileError, FileErrors } from '../errors.ts'
import type { CheckResult, ScenarioResult } from '../model/result.ts'
import type { ExpectationOutcome } from '../model/report.ts'
import { readConfigYaml } from '../config/yaml-file.ts'
import { validateWithSchema } from '../config/schema-errors.ts'

/** One known deviation. */
export interface KnownDeviation {
  requirement: string
  scenario?: string
  check?: string
  reason: string
}

const expectationsSchema = {
  type: 'object',
  required: ['expectations'],
  additionalProperties: false,
  properties: {
    expectations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['requirement', 'reason'],
        additionalProperties: false,
        properties: {
          requirement: { type: 'string', minLength: 1 },
          scenario: { type: 'string', minLength: 1 },
          check: { type: 'string', minLength: 1 },
          reason: { type: 'string', minLength: 1 },
        },
      },
    },
  },
}

/** What the loader checks the ids against (when known). */
export interface ExpectationVocabulary {
  scenarios?: ReadonlySet<string>
  requirements?: ReadonlySet<string>
}

/**
 * Loads an expectations file. Scenario and requirement ids must be known (when given); an entry
 * listed twice is an error. Errors are `FileErrors` (E_CONFIG) with `file:line:col`.
 */
export async function loadExpectations(
  file: string,
  known: ExpectationVocabulary = {},
): Promise<KnownDeviation[]> {
  const yaml = await readConfigYaml(file)
  const errors = validateWithSchema(expectationsSchema, yaml)
  if (errors.length > 0) throw new FileErrors(errors)
  const list = (yaml.value as { expectations: KnownDeviation[] }).expectations
  const problems: FileError[] = []
  const seen = new Set<string>()
  const problem = (index: number, key: string, message: string) =>
    problems.push(new FileError('E_CONFIG', yaml.locate(['expectations', index, key]), message))
  list.forEach((entry, index) => {
    const key = `${entry.requirement} ${entry.scenario ?? ''} ${entry.check ?? ''}`
    if (seen.has(key)) problem(index, 'requirement', `the same deviation is listed twice`)
    seen.add(key)
    if (known.requirements && !known.requirements.has(entry.requirement))
      problem(index, 'requirement', `unknown requirement '${entry.requirement}'`)
    if (entry.scenario !== undefined && known.scenarios && !known.scenarios.has(entry.scenario))
      problem(index, 'scenario', `unknown scenario '${entry.scenario}'`)
    if (entry.check !== undefined && entry.scenario === undefined)
      problem(index, 'check', 'a check is named only together with its scenario')
  })
  if (problems.length > 0) throw new FileErrors(problems)
  return list
}

function covers(entry: KnownDeviation, scenarioId: string, check: CheckResult): boolean {
  if (check.requirement !== entry.requirement) return false
  if (entry.scenario !== undefined && entry.scenario !== scenarioId) return false
  return entry.check === undefined || entry.check === check.name
}

/** Marks every failed check of `result` that a known deviation covers as excused. */
export function excuseKnownDeviations(
  result: ScenarioResult,
  deviations: readonly KnownDeviation[],
): ScenarioResult {
  if (deviations.length === 0) return result
  const steps = result.steps.map((step) => ({
    ...step,
    checks: step.checks.map((check) => {
      if (check.ok) return check
      const entry = deviations.find((candidate) => covers(candidate, result.id, check))
      return entry ? { ...check, excused: entry.reason } : check
    }),
  }))
  return { ...result, steps }
}

/**
 * What became of each known deviation: `met` when it excused a failure, `stale` when what it
 * covers was tested and held, `unused` when it was not tested in this run.
 */
export function deviationOutcomes(
  deviations: readonly KnownDeviation[],
  scenarios: readonly ScenarioResult[],
): ExpectationOutcome[] {
  return deviations.map((entry) => {
    let state: ExpectationOutcome['state'] = 'unused'
    for (const scenario of scenarios) {
      for (const step of scenario.steps) {
        for (const check of step.checks) {
          if (!covers(entry, scenario.id, check) || check.notApplicable !== undefined) continue
          if (!check.ok && check.level !== 'may') state = 'met'
          else if (state === 'unused') state = 'stale'
        }
      }
    }
    return { ...entry, state }
  })
}
