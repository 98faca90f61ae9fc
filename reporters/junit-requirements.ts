/**
 * The JUnit suite of the requirement table: one test case per requirement the run touched, so
 * CI shows the verdict per requirement next to the scenarios. Only an unexcused `fail` is a
 * failure; inconclusive, not-applicable, untested and known deviations are skipped.
 */
import type { RequirementVerdict } from '../harness/model/report.ts'
import { child, testcase, type RenderedCase } from './junit-case.ts'
import { scenarioList, verdictLabel } from './requirements-table.ts'

/** Scenario ids named in a message (the JSON report has them all). */
const MAX_SCENARIOS = 10

function failingChecks(row: RequirementVerdict): string[] {
  return row.checks
    .filter((check) => !check.ok && !check.notApplicable)
    .map((check) => `${check.scenario} > ${check.step}: ${check.check}`)
}

/** The test case of one requirement. */
export function requirementCase(row: RequirementVerdict): RenderedCase {
  const attributes = {
    classname: 'requirements',
    name: row.title ? `${row.id}: ${row.title}` : row.id,
    time: '0.000',
  }
  const scenarios = `scenarios: ${scenarioList(row.scenarios, MAX_SCENARIOS)}`
  if (row.excused) {
    const message = `${verdictLabel(row)}: ${failingChecks(row).join('; ')}`
    return testcase(attributes, 'skipped', child('skipped', { message }))
  }
  switch (row.verdict) {
    case 'fail': {
      const checks = failingChecks(row)
      const message = `${row.id} fails: ${checks[0] ?? 'a check failed'}`
      const text = [...checks, scenarios].join('\n')
      return testcase(attributes, 'failure', child('failure', { message, type: 'must' }, text))
    }
    case 'warn': {
      const text = `warning: ${failingChecks(row).join('; ')}`
      return testcase(attributes, 'passed', child('system-out', {}, text))
    }
    case 'inconclusive':
    case 'untested':
    case 'not-applicable': {
      const message = `${row.verdict}: ${scenarios}`
      return testcase(attributes, 'skipped', child('skipped', { message }))
    }
    default:
      return testcase(attributes, 'passed')
  }
}
