/**
 * Expectations files: known deviations of a target, each with a reason. A scenario whose outcome
 * matches is reported as expected; an expected problem that no longer happens is stale.
 *
 * ```yaml
 * expectations:
 *   - { scenario: registration/redirect-uri-fragment, outcome: failed, reason: "accepts fragments", requirement: R6749-3.1.2-a }
 * ```
 */
import { FileError, FileErrors } from '../errors.ts'
import type { Outcome, ScenarioResult } from '../types.ts'
import { readConfigYaml } from '../config/yaml-file.ts'
import { validateWithSchema } from '../config/schema-errors.ts'
import { expectationState } from '../../reporters/summary.ts'

export interface ScenarioExpectation {
  outcome: Outcome
  reason: string
  requirement?: string
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
        required: ['scenario', 'outcome', 'reason'],
        additionalProperties: false,
        properties: {
          scenario: { type: 'string', minLength: 1 },
          // `passed` is no deviation: an expectation of it could only ever be met or stale.
          outcome: { enum: ['failed', 'warned', 'errored', 'skipped'] },
          reason: { type: 'string', minLength: 1 },
          requirement: { type: 'string' },
        },
      },
    },
  },
}

/**
 * Loads an expectations file; ids must name known scenarios (when `knownIds` is given).
 * Errors are `FileErrors` (E_CONFIG) with `file:line:col`.
 */
export async function loadExpectations(
  file: string,
  knownIds?: Set<string>,
): Promise<Map<string, ScenarioExpectation>> {
  const yaml = await readConfigYaml(file)
  const errors = validateWithSchema(expectationsSchema, yaml)
  if (errors.length > 0) throw new FileErrors(errors)
  const list = (yaml.value as { expectations: (ScenarioExpectation & { scenario: string })[] })
    .expectations
  const found = new Map<string, ScenarioExpectation>()
  const problems: FileError[] = []
  list.forEach((entry, index) => {
    if (found.has(entry.scenario)) {
      problems.push(
        new FileError(
          'E_CONFIG',
          yaml.locate(['expectations', index, 'scenario']),
          `scenario '${entry.scenario}' is listed twice`,
        ),
      )
    } else if (knownIds && !knownIds.has(entry.scenario)) {
      problems.push(
        new FileError(
          'E_CONFIG',
          yaml.locate(['expectations', index, 'scenario']),
          `unknown scenario '${entry.scenario}'`,
        ),
      )
    }
    const { scenario, ...expectation } = entry
    found.set(scenario, expectation)
  })
  if (problems.length > 0) throw new FileErrors(problems)
  return found
}

/**
 * Marks a result with its expectation: `expected` always carries it; `stale` is set exactly when
 * the reporters' `expectationState` calls it stale (the scenario now does better than expected),
 * so the JSON flag, the summary and the exit code agree.
 */
export function applyExpectation(
  result: ScenarioResult,
  expectation: ScenarioExpectation | undefined,
): ScenarioResult {
  if (!expectation) return result
  const expected = { outcome: expectation.outcome, reason: expectation.reason }
  const stale = expectationState({ ...result, expected }) === 'stale'
  return { ...result, expected: { ...expected, ...(stale ? { stale: true } : {}) } }
}
