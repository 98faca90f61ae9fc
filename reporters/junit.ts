/**
 * The JUnit XML reporter, for CI systems that show test results (one `<testsuite>` per run,
 * one `<testcase>` per scenario). Expected outcomes from an expectations file are reported as
 * skipped with their reason, so they do not turn a CI job red; stale expectations fail.
 */
import type { Report, Reporter, ScenarioResult } from '../harness/types.ts'
import { createOutputReporter, type OutputOptions } from './output.ts'
import {
  checkSummary,
  erroredStep,
  expectationState,
  expectedActual,
  failingChecks,
  reasonOf,
  staleMessage,
  truncate,
} from './summary.ts'
import { escapeXmlText, xmlAttributes } from './xml.ts'

export type JunitReporterOptions = OutputOptions

const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3)

type CaseKind = 'passed' | 'failure' | 'error' | 'skipped'

interface RenderedCase {
  kind: CaseKind
  xml: string
}

function failureText(scenario: ScenarioResult): string {
  const lines: string[] = []
  for (const { step, check } of failingChecks(scenario)) {
    const requirement = check.requirement ? `, ${check.requirement}` : ''
    lines.push(`step ${step.id}: ${check.name} (${check.level}${requirement})`)
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

const indent = (text: string, prefix: string) =>
  text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n')

/** One child element of a test case, indented; `text` escaped, no text means self-closing. */
function child(name: string, attributes: Record<string, string>, text?: string): string {
  const open = `      <${name}${xmlAttributes(attributes)}`
  return text === undefined ? `${open}/>\n` : `${open}>${escapeXmlText(text)}</${name}>\n`
}

function renderCase(scenario: ScenarioResult): RenderedCase {
  const attributes = xmlAttributes({
    classname: scenario.id.split('/')[0] ?? scenario.id,
    name: `${scenario.id}: ${scenario.title}`,
    file: scenario.file,
    time: seconds(scenario.durationMs),
  })
  const testcase = (kind: CaseKind, inner: string): RenderedCase => ({
    kind,
    xml: inner
      ? `    <testcase${attributes}>\n${inner}    </testcase>\n`
      : `    <testcase${attributes}/>\n`,
  })
  const state = expectationState(scenario)

  if (state === 'stale') {
    const message = staleMessage(scenario)
    const text = `${message}\nfile: ${scenario.file}`
    return testcase('failure', child('failure', { message, type: 'stale' }, text))
  }
  if (state === 'met' && scenario.outcome !== 'passed') {
    const message = `expected ${scenario.outcome}: ${scenario.expected?.reason ?? ''}`
    return testcase('skipped', child('skipped', { message }))
  }
  switch (scenario.outcome) {
    case 'failed': {
      const failing = failingChecks(scenario)
      const first = failing.find(({ check }) => check.level === 'must') ?? failing[0]
      const message = first ? checkSummary(first.check) : (scenario.message ?? 'failed')
      const type = first?.check.level ?? 'must'
      return testcase('failure', child('failure', { message, type }, failureText(scenario)))
    }
    case 'errored': {
      const message = reasonOf(scenario) ?? 'errored'
      const step = erroredStep(scenario)
      const text = `${step ? `step ${step.id}: ` : ''}${message}\nfile: ${scenario.file}`
      return testcase('error', child('error', { message, type: 'errored' }, text))
    }
    case 'skipped':
      return testcase('skipped', child('skipped', { message: reasonOf(scenario) ?? 'skipped' }))
    case 'warned': {
      const warnings = failingChecks(scenario)
        .filter(({ check }) => check.level !== 'must')
        .map(({ step, check }) => `warning: step ${step.id}: ${checkSummary(check)}`)
      return testcase('passed', child('system-out', {}, warnings.join('\n')))
    }
    default:
      return testcase('passed', '')
  }
}

/** The whole JUnit document. */
export function renderJunit(report: Report): string {
  const cases = report.scenarios.map(renderCase)
  const count = (kind: CaseKind) => cases.filter((rendered) => rendered.kind === kind).length
  const totals = {
    tests: cases.length,
    failures: count('failure'),
    errors: count('error'),
    skipped: count('skipped'),
    time: seconds(report.durationMs),
  }
  const properties = [
    ['issuer', report.target.issuer],
    ['seed', String(report.seed)],
    ['status', report.status],
    ['tool', `${report.tool.name} ${report.tool.version}`],
  ]
    .map(([name, value]) => `      <property${xmlAttributes({ name, value })}/>\n`)
    .join('')
  const notices = (report.notices ?? []).map((notice) => `notice: ${notice}`)
  const leftovers = (report.leftovers ?? []).map((l) => `left over: ${l.client_id}: ${l.reason}`)
  const systemOut = [...notices, ...leftovers]
  const suiteAttributes = xmlAttributes({
    name: report.target.name,
    ...totals,
    timestamp: report.startedAt,
  })
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<testsuites${xmlAttributes({ name: 'dcr-conformance', ...totals })}>\n` +
    `  <testsuite${suiteAttributes}>\n` +
    `    <properties>\n${properties}    </properties>\n` +
    cases.map((rendered) => rendered.xml).join('') +
    (systemOut.length > 0
      ? `    <system-out>${escapeXmlText(systemOut.join('\n'))}</system-out>\n`
      : '') +
    '  </testsuite>\n' +
    '</testsuites>\n'
  )
}

export function createJunitReporter(options: JunitReporterOptions = {}): Reporter {
  return createOutputReporter(options, renderJunit)
}
