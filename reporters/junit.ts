/**
 * The JUnit XML reporter, for CI systems that show test results: one `<testsuite>` of scenarios
 * (one `<testcase>` each, plus one failing case per stale expectation) and one of requirements
 * (reporters/junit-requirements.ts). Known deviations (xfail) and inconclusive scenarios are
 * skipped with their reason or blocker, so they do not turn a CI job red; stale expectations fail.
 * `file` attributes are relative to the suite root; artifacts of failing steps are attached as
 * `[[ATTACHMENT|path]]` (relative to the report file) in the case's system-out.
 */
import type { ScenarioResult, StepResult } from '../harness/model/result.ts'
import type { ExpectationOutcome, Report } from '../harness/model/report.ts'
import type { Reporter } from '../harness/model/reporter.ts'
import { rootCauseLine } from '../harness/verdicts/root-causes.ts'
import { child, indent, seconds, testcase, totals, type RenderedCase } from './junit-case.ts'
import { portablePath, reportBase } from './artifact-paths.ts'
import { fileAndLine, prettyBody, requirementIndex, requirementRef } from './failure-text.ts'
import { requirementText, subjectExchanges, valuesNotInMessage } from './failure-text.ts'
import { type RequirementIndex } from './failure-text.ts'
import { checkHint, errorHint } from './hints.ts'
import { requirementCase } from './junit-requirements.ts'
import { deviationLine, deviationScope, deviationsIn } from './known-deviations.ts'
import { createOutputReporter, type OutputOptions } from './output.ts'
import { requirementCountsLine } from './requirements-table.ts'
import { checkSummary, excuseReasons, expectedActual, inconclusiveNote } from './scenario-notes.ts'
import { displayOutcome, erroredStep, failingChecks, reasonOf, staleMessage } from './summary.ts'
import { escapeXmlText, xmlAttributes } from './xml.ts'

export type JunitReporterOptions = OutputOptions

/** What the CI shows under a failed case: each failing check, once, with its exchange. */
function failureText(scenario: ScenarioResult, index: RequirementIndex): string {
  const lines: string[] = []
  const shown = new Set<StepResult>()
  for (const { step, check } of failingChecks(scenario)) {
    lines.push(`step ${step.id}: ${check.name} (${check.level})`)
    if (check.requirement) {
      lines.push(`  ${requirementText(requirementRef(check.requirement, index))}`)
    }
    if (check.excused !== undefined) lines.push(`  known deviation: ${check.excused}`)
    if (check.message) lines.push(`  ${check.message}`)
    const { expected, actual } = valuesNotInMessage(check)
    if (expected !== undefined || actual !== undefined) {
      lines.push(indent(expectedActual({ ...check, expected, actual }, 1000), '  '))
    }
    const hint = checkHint(step, check)
    if (hint) lines.push(`  hint: ${hint}`)
    if (shown.has(step)) continue
    shown.add(step)
    const exchange = subjectExchanges(step).at(-1)
    if (exchange) {
      const status = exchange.response ? exchange.response.status : 'no response'
      lines.push(`  ${exchange.request.method} ${exchange.request.url} -> ${status}`)
      if (exchange.response?.body) {
        lines.push(indent(`response body: ${prettyBody(exchange.response.body, 1024)}`, '  '))
      }
    }
  }
  lines.push(`file: ${fileAndLine(scenario.file, failingChecks(scenario)[0]?.step)}`)
  return lines.join('\n')
}

/**
 * `[[ATTACHMENT|path]]` for each artifact of a failing step, relative to the report's folder:
 * how Jenkins and GitLab attach screenshots and traces to a test case.
 */
function attachments(scenario: ScenarioResult, baseDir: string): string[] {
  return scenario.steps
    .filter((step) => ['failed', 'errored', 'inconclusive', 'warned'].includes(step.outcome))
    .flatMap((step) => step.artifacts)
    .map((artifact) => `[[ATTACHMENT|${portablePath(artifact.path, baseDir)}]]`)
}

/** The scenario file relative to the suite root (`suites/registration/x.yaml`), wherever it ran. */
export function suiteFile(scenario: Pick<ScenarioResult, 'id' | 'file'>): string {
  const file = scenario.file.split('\\').join('/')
  const match = new RegExp(`(?:^|/)([^/]+)/${escapeRegExp(scenario.id)}\\.ya?ml$`).exec(file)
  return match ? file.slice(match.index + (match[0].startsWith('/') ? 1 : 0)) : file
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** Unexcused warnings (and known deviations of a warning) as the case's output. */
function warningOutput(scenario: ScenarioResult): string {
  return failingChecks(scenario)
    .filter(({ check }) => check.level === 'should')
    .map(({ step, check }) => `warning: step ${step.id}: ${checkSummary(check)}`)
    .join('\n')
}

/** What a case needs besides its scenario. */
interface CaseContext {
  requirements: RequirementIndex
  baseDir: string
}

/** `<system-out>` of a case: warnings and attachments, when there are any. */
function output(lines: string[]): string {
  return lines.length > 0 ? child('system-out', {}, lines.join('\n')) : ''
}

function renderCase(scenario: ScenarioResult, context: CaseContext): RenderedCase {
  const attributes = {
    classname: scenario.id.split('/')[0] ?? scenario.id,
    name: `${scenario.id}: ${scenario.title}`,
    file: suiteFile(scenario),
    time: seconds(scenario.durationMs),
  }
  const attached = attachments(scenario, context.baseDir)
  const skipped = (message: string) =>
    testcase(attributes, 'skipped', child('skipped', { message }) + output(attached))
  switch (displayOutcome(scenario)) {
    case 'failed': {
      const failing = failingChecks(scenario).filter(({ check }) => check.excused === undefined)
      const first = failing.find(({ check }) => check.level === 'must') ?? failing[0]
      const message = first ? checkSummary(first.check) : (scenario.message ?? 'failed')
      const type = first?.check.level ?? 'must'
      const text = failureText(scenario, context.requirements)
      const failure = child('failure', { message, type }, text)
      return testcase(attributes, 'failure', failure + output(attached))
    }
    case 'errored': {
      const message = reasonOf(scenario) ?? 'errored'
      const step = erroredStep(scenario)
      const hint = errorHint(step?.message ?? message)
      const text = [
        `${step ? `step ${step.id}: ` : ''}${message}`,
        ...(hint ? [`hint: ${hint}`] : []),
        `file: ${fileAndLine(scenario.file, step)}`,
      ].join('\n')
      const error = child('error', { message, type: 'errored' }, text)
      return testcase(attributes, 'error', error + output(attached))
    }
    case 'xfail':
      return skipped(`known deviation: ${excuseReasons(scenario).join('; ')}`)
    case 'inconclusive':
      return skipped(`inconclusive: ${inconclusiveNote(scenario)}`)
    case 'skipped':
      return skipped(reasonOf(scenario) ?? 'skipped')
    case 'warned':
    case 'xwarn':
      return testcase(attributes, 'passed', output([warningOutput(scenario), ...attached]))
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

/**
 * A run errored for a reason no scenario shows (it judged nothing, or could not start): one
 * errored case says it, so a CI viewer does not show the run green.
 */
function runErrorCase(report: Report): RenderedCase[] {
  if (report.status !== 'errored' || !report.reason) return []
  if (report.scenarios.some((scenario) => scenario.outcome === 'errored')) return []
  const message = report.reason
  const attributes = { classname: 'run', name: 'the run' }
  return [testcase(attributes, 'error', child('error', { message, type: 'run' }, message))]
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

/**
 * The whole JUnit document. `baseDir`: the folder of the report file, that attachment paths are
 * relative to (default the working directory).
 */
export function renderJunit(report: Report, baseDir = process.cwd()): string {
  const context: CaseContext = { requirements: requirementIndex(report), baseDir }
  const cases = [
    ...report.scenarios.map((scenario) => renderCase(scenario, context)),
    ...deviationsIn(report, 'stale').map(staleCase),
    ...runErrorCase(report),
  ]
  const requirementCases = report.requirements.map(requirementCase)
  const properties = [
    ['issuer', report.target.issuer],
    ['seed', String(report.seed)],
    ['status', report.status],
    ...(report.reason ? [['reason', report.reason]] : []),
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
  const baseDir = reportBase(options.path)
  return createOutputReporter(options, (report) => renderJunit(report, baseDir))
}
