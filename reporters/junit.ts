/**
 * The JUnit XML reporter, for CI systems that show test results: one `<testsuite>` of scenarios
 * (one `<testcase>` each, plus one failing case per stale expectation) and one of requirements
 * (reporters/junit-requirements.ts). Known deviations (xfail) and inconclusive scenarios are
 * skipped with their reason or blocker, so they do not turn a CI job red; stale expectations fail.
 */
import type { ExpectationOutcome, Report, Reporter, ScenarioResult } from '../harness/types.ts'
import { rootCauseLine } from '../harness/verdicts/root-causes.ts'
import {
  child,
  indent,
  seconds,
  testcase,
  totals,
  type RenderedCase,
} from './junit-case.ts'
import { requirementCase } from './junit-requirements.ts'
import { deviationLine, deviationScope, deviationsIn } from './known-deviations.ts'
import { createOutputReporter, type OutputOptions } from './output.ts'
import { requirementCountsLine } from './requirements-table.ts'
import { checkSummary, excuseReasons, expectedActual, inconclusiveNote } from './scenario-notes.ts'
import {
  displayOutcome,
  erroredStep,
  failingChecks,
  reasonOf,
  staleMessage,
  truncate,
} from './summary.ts'
import { escapeXmlText, xmlAttributes } from './xml.ts'

export type JunitReporterOptions = OutputOptions

function failureText(scenario: ScenarioResult): string {
  const lines: string[] = []
  for (const { step, check } of failingChecks(scenario)) {
    const requirement = check.requirement ? `, ${check.requirement}` : ''
    lines.push(`step ${step.id}: ${check.name} (${check.level}${requirement})`)
    if (check.excused !== undefined) lines.push(`  known deviation: ${check.excused}`)
    if (check.message) lines.push(`  ${check.message}`)
    const values = expectedActual(check, 1000)
    if (values) lines.push(indent(values, '  '))
    const exchange = step.exchanges.at(-1)
    if (exchange) {
      const status = exchange.response ? exchange.response.status : 'no response'
      lines.push(`  ${exchange.request.method} ${exchange.request.url} -> ${status}`)
      if (exchange.response?.body) {
        lines.push(`  response body: ${truncate(exchange.response.body, 1024)}`)
      }
    }
  }
  lines.push(`file: ${scenario.file}`)
  return lines.join('\n')
}

/** Unexcused warnings (and known deviations of a warning) as the case's output. */
function warningOutput(scenario: ScenarioResult): string {
  return failingChecks(scenario)
    .filter(({ check }) => check.level === 'should')
    .map(({ step, check }) => `warning: step ${step.id}: ${checkSummary(check)}`)
    .join('\n')
}

function renderCase(scenario: ScenarioResult): RenderedCase {
  const attributes = {
    classname: scenario.id.split('/')[0] ?? scenario.id,
    name: `${scenario.id}: ${scenario.title}`,
    file: scenario.file,
    time: seconds(scenario.durationMs),
  }
  const skipped = (message: string) =>
    testcase(attributes, 'skipped', child('skipped', { message }))
  switch (displayOutcome(scenario)) {
    case 'failed': {
      const failing = failingChecks(scenario).filter(({ check }) => check.excused === undefined)
      const first = failing.find(({ check }) => check.level === 'must') ?? failing[0]
      const message = first ? checkSummary(first.check) : (scenario.message ?? 'failed')
      const type = first?.check.level ?? 'must'
      const failure = child('failure', { message, type }, failureText(scenario))
      return testcase(attributes, 'failure', failure)
    }
    case 'errored': {
      const message = reasonOf(scenario) ?? 'errored'
      const step = erroredStep(scenario)
      const text = `${step ? `step ${step.id}: ` : ''}${message}\nfile: ${scenario.file}`
      return testcase(attributes, 'error', child('error', { message, type: 'errored' }, text))
    }
    case 'xfail':
      return skipped(`known deviation: ${excuseReasons(scenario).join('; ')}`)
    case 'inconclusive':
      return skipped(`inconclusive: ${inconclusiveNote(scenario)}`)
    case 'skipped':
      return skipped(reasonOf(scenario) ?? 'skipped')
    case 'warned':
    case 'xwarn':
      return testcase(attributes, 'passed', child('system-out', {}, warningOutput(scenario)))
    default:
      return testcase(attributes, 'passed')
  }
}

/** A stale expectation fails the run, so it fails in CI too: one failing case per entry. */
function staleCase(entry: ExpectationOutcome): RenderedCase {
  const message = staleMessage(entry)
  const attributes = { classname: 'expectations', name: `expectation ${deviationScope(entry)}` }
  return testcase(attributes, 'failure', child('failure', { message, type: 'stale' }, message))
}

/** What has no test case of its own: root causes, known deviations, notices, leftovers. */
function suiteOutput(report: Report): string[] {
  return [
    ...report.rootCauses.map((cause) => `inconclusive: ${rootCauseLine(cause)}`),
    ...deviationsIn(report, 'met').map(deviationLine),
    ...deviationsIn(report, 'unused').map(deviationLine),
    ...(report.notices ?? []).map((notice) => `notice: ${notice}`),
    ...(report.caveats ?? []).map((caveat) => `caveat: ${caveat}`),
    ...(report.leftovers ?? []).map((l) => `left over: ${l.client_id}: ${l.reason}`),
  ]
}

/** A `<testsuite>`: its totals from its cases; properties first and output last (JUnit order). */
function suite(
  attributes: Record<string, string>,
  cases: readonly RenderedCase[],
  parts: { properties?: string[][]; output?: string[] } = {},
): string {
  const properties = (parts.properties ?? [])
    .map(([name, value]) => `      <property${xmlAttributes({ name, value })}/>\n`)
    .join('')
  const output = parts.output ?? []
  return (
    `  <testsuite${xmlAttributes({ name: attributes.name, ...totals(cases), ...attributes })}>\n` +
    (properties ? `    <properties>\n${properties}    </properties>\n` : '') +
    cases.map((rendered) => rendered.xml).join('') +
    (output.length > 0
      ? `    <system-out>${escapeXmlText(output.join('\n'))}</system-out>\n`
      : '') +
    '  </testsuite>\n'
  )
}

/** The whole JUnit document. */
export function renderJunit(report: Report): string {
  const cases = [
    ...report.scenarios.map(renderCase),
    ...deviationsIn(report, 'stale').map(staleCase),
  ]
  const requirementCases = report.requirements.map(requirementCase)
  const properties = [
    ['issuer', report.target.issuer],
    ['seed', String(report.seed)],
    ['status', report.status],
    ['tool', `${report.tool.name} ${report.tool.version}`],
    ['requirements', requirementCountsLine(report.requirements)],
  ]
  const time = seconds(report.durationMs)
  const timestamp = report.startedAt
  const all = totals([...cases, ...requirementCases])
  const requirementsSuite = `${report.target.name}: requirements`
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites${xmlAttributes({ name: 'dcr-conformance', ...all, time })}>\n` +
    suite({ name: report.target.name, time, timestamp }, cases, {
      properties,
      output: suiteOutput(report),
    }) +
    (requirementCases.length > 0
      ? suite({ name: requirementsSuite, time: '0.000', timestamp }, requirementCases)
      : '') +
    '</testsuites>\n'
  )
}

export function createJunitReporter(options: JunitReporterOptions = {}): Reporter {
  return createOutputReporter(options, renderJunit)
}
