/**
 * The HTML reporter: one self-contained file (inline CSS, no scripts, no external resources, a
 * Content-Security-Policy that forbids loading anything), every value escaped.
 */
import type { Exchange, Report, Reporter, ScenarioResult } from '../harness/types.ts'
import { rootCauseLine } from '../harness/verdicts/root-causes.ts'
import { deviationLine, deviationsIn } from './known-deviations.ts'
import { createOutputReporter, type OutputOptions } from './output.ts'
import {
  REQUIREMENT_COLUMNS,
  requirementCountsLine,
  verdictKey,
  verdictLabel,
} from './requirements-table.ts'
import { expectedActual, needsDetails, scenarioNote } from './scenario-notes.ts'
import {
  countsLine,
  displayOutcome,
  erroredStep,
  failingChecks,
  formatDuration,
  reasonOf,
  SUMMARY_COLUMNS,
  summaryNumbers,
  truncate,
} from './summary.ts'

export type HtmlReporterOptions = OutputOptions

const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

/** Escape text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(controls, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** Nothing may be loaded: no scripts, images, fonts or fetches; only the inline style. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'"

const style = [
  'body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24;background:#fff}',
  'h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}h3{font-size:1rem}',
  'table{border-collapse:collapse;width:100%}',
  'th,td{border:1px solid #d0d7de;padding:.3rem .5rem;text-align:left;vertical-align:top}',
  'th{background:#f6f8fa}td.num{text-align:right;white-space:nowrap}',
  'pre{background:#f6f8fa;padding:.6rem;overflow:auto;white-space:pre-wrap;word-break:break-all}',
  '.passed,.pass{color:#1a7f37}.failed,.errored,.stale,.fail{color:#cf222e}',
  '.warned,.warn{color:#9a6700}.inconclusive{color:#8250df}',
  '.skipped,.xfail,.xwarn,.excused,.not-applicable,.untested{color:#57606a}',
  '.verdict{font-weight:bold}details{margin:.5rem 0}summary{cursor:pointer}',
].join('\n')

/** Markup built by `h` (already escaped); plain strings given to `h` are always escaped. */
interface Markup {
  html: string
}

type Child = string | Markup | undefined

/** An element: attribute values and string children are escaped, so nothing can inject markup. */
export function h(
  tag: string,
  attributes: Record<string, string> | null,
  ...children: Child[]
): Markup {
  const attrs = Object.entries(attributes ?? {})
    .map(([name, value]) => ` ${name}="${escapeHtml(value)}"`)
    .join('')
  const content = children
    .map((child) =>
      child === undefined ? '' : typeof child === 'string' ? escapeHtml(child) : child.html,
    )
    .join('')
  return { html: `<${tag}${attrs}>${content}</${tag}>` }
}

const fragment = (children: Child[], separator = '\n'): Markup => ({
  html: children
    .map((child) =>
      child === undefined ? '' : typeof child === 'string' ? escapeHtml(child) : child.html,
    )
    .join(separator),
})

const br: Markup = { html: '<br>' }

function exchangeHtml(exchange: Exchange): Markup {
  const { request, response } = exchange
  const status = response ? String(response.status) : 'no response'
  const lines = [
    `${request.method} ${request.url} -> ${status} (${formatDuration(exchange.durationMs)})`,
  ]
  for (const [name, value] of Object.entries(request.headers)) lines.push(`> ${name}: ${value}`)
  if (request.body) lines.push(`> ${truncate(request.body, 2048)}`)
  if (response) {
    for (const [name, value] of Object.entries(response.headers)) lines.push(`< ${name}: ${value}`)
    if (response.body) lines.push(`< ${truncate(response.body, 2048)}`)
  }
  if (exchange.error) lines.push(`! ${exchange.error}`)
  return h('pre', null, lines.join('\n'))
}

function scenarioDetails(scenario: ScenarioResult): Markup {
  const label = displayOutcome(scenario)
  const parts: Child[] = [
    h('h3', null, h('span', { class: label }, label), ` ${scenario.id}: ${scenario.title}`),
    h(
      'p',
      null,
      'File: ',
      h('code', null, scenario.file),
      ` · Requirements: ${scenario.requirements.join(', ')}`,
    ),
  ]
  if (scenario.outcome === 'errored') {
    const step = erroredStep(scenario)
    const where = step ? `Step ${step.id} errored` : 'Errored'
    parts.push(h('p', { class: 'errored' }, `${where}: ${reasonOf(scenario) ?? 'no message'}`))
    if (step) parts.push(...step.exchanges.map(exchangeHtml))
  }
  for (const { step, check } of failingChecks(scenario)) {
    if (check.level === 'may') continue
    const requirement = check.requirement ? ` [${check.requirement}]` : ''
    const level = check.level === 'must' ? 'failed' : 'warned'
    parts.push(
      h('h4', { class: level }, `${step.id}: ${check.name} (${check.level})${requirement}`),
    )
    if (check.excused !== undefined)
      parts.push(h('p', { class: 'excused' }, `Known deviation: ${check.excused}`))
    if (check.message) parts.push(h('p', null, check.message))
    const values = expectedActual(check, 3000)
    if (values) parts.push(h('pre', null, values))
    if (step.exchanges.length > 0) {
      const summary = h('summary', null, `Exchanges (${step.exchanges.length})`)
      parts.push(h('details', null, summary, ...step.exchanges.map(exchangeHtml)))
    }
  }
  return h('section', { id: `s-${scenario.id}` }, fragment(parts))
}

function table(
  header: string[],
  rows: { cells: Child[]; classes?: (string | undefined)[] }[],
): Markup {
  const head = h('tr', null, ...header.map((cell) => h('th', null, cell)))
  const body = rows.map(({ cells, classes }) =>
    h(
      'tr',
      null,
      ...cells.map((cell, i) => h('td', classes?.[i] ? { class: classes[i] } : null, cell)),
    ),
  )
  return h('table', null, fragment([head, ...body]))
}

function list(title: string, items: Child[]): Markup | undefined {
  if (items.length === 0) return undefined
  return fragment([
    h('h2', null, title),
    h('ul', null, ...items.map((item) => h('li', null, item))),
  ])
}

/** Scenario ids of a row; a long list folds away so the table stays readable. */
function scenarioIds(ids: readonly string[]): Child {
  if (ids.length <= 10) return ids.join(', ')
  return h('details', null, h('summary', null, `${ids.length} scenarios`), ids.join(', '))
}

/** The verdict per requirement, with the scenarios behind each. */
function requirementsTable(report: Report): Markup | undefined {
  if (report.requirements.length === 0) return undefined
  const rows = report.requirements.map((requirement) => ({
    cells: [
      requirement.id,
      requirement.title ?? '',
      requirement.level ?? '',
      verdictLabel(requirement),
      scenarioIds(requirement.scenarios),
    ],
    classes: [undefined, undefined, undefined, verdictKey(requirement)],
  }))
  return fragment([
    h('h2', null, 'Requirements'),
    h('p', null, requirementCountsLine(report.requirements)),
    table([...REQUIREMENT_COLUMNS], rows),
  ])
}

/** One line per root cause; the scenarios it blocks fold away under it. */
function rootCauseList(report: Report): Markup | undefined {
  const items: Child[] = report.rootCauses.map((cause) =>
    h('details', null, h('summary', null, rootCauseLine(cause)), cause.scenarios.join(', ')),
  )
  for (const scenario of report.scenarios) {
    if (scenario.outcome === 'inconclusive' && !scenario.blocker)
      items.push(`${scenario.id}: ${reasonOf(scenario) ?? 'no blocker'}`)
  }
  return list('Inconclusive scenarios by root cause', items)
}

function scenarioTable(report: Report): Markup {
  return table(
    ['Outcome', 'Scenario', 'Requirements', 'Time', 'Note'],
    report.scenarios.map((scenario) => {
      const label = displayOutcome(scenario)
      return {
        cells: [
          label,
          fragment([scenario.id, br, h('small', null, scenario.title)], ''),
          scenario.requirements.join(', '),
          formatDuration(scenario.durationMs),
          truncate(scenarioNote(scenario), 500),
        ],
        classes: [label, undefined, undefined, 'num'],
      }
    }),
  )
}

/** Known deviations, stale entries (they fail the run) and untested ones. */
function expectationLists(report: Report): Child[] {
  const lines = (state: 'met' | 'stale' | 'unused') =>
    deviationsIn(report, state).map(deviationLine)
  const stale = lines('stale').map((line) => h('span', { class: 'stale' }, line))
  return [
    list('Known deviations', lines('met')),
    list('Stale expectations (the run fails: update the expectations file)', stale),
    list('Expectations not tested in this run', lines('unused')),
  ]
}

/** The whole HTML document. */
export function renderHtml(report: Report): string {
  const { counts, tool, target } = report
  const numbers = summaryNumbers(report).map(String)
  const summaryTable = table(
    [...SUMMARY_COLUMNS],
    [{ cells: numbers, classes: numbers.map(() => 'num') }],
  )
  const problems = report.scenarios.filter(needsDetails)
  const about = [
    `started ${report.startedAt}`,
    formatDuration(report.durationMs),
    `seed ${report.seed}`,
    `${tool.name} ${tool.version}`,
  ].join(' · ')
  const body = fragment([
    h(
      'h1',
      null,
      `dcr-conformance: ${target.name} `,
      h('span', { class: `verdict ${report.status}` }, report.status.toUpperCase()),
    ),
    h('p', null, 'Issuer ', h('code', null, target.issuer), ` · ${about}`),
    h('p', null, countsLine(counts)),
    summaryTable,
    requirementsTable(report),
    rootCauseList(report),
    h('h2', null, 'Scenarios'),
    scenarioTable(report),
    problems.length > 0 ? h('h2', null, 'Failures and warnings') : undefined,
    ...problems.map(scenarioDetails),
    ...expectationLists(report),
    list(
      'Clients left over',
      (report.leftovers ?? []).map((l) => `${l.client_id}: ${l.reason}`),
    ),
    list('Notices', report.notices ?? []),
    list('Caveats', report.caveats ?? []),
  ])
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    h('title', null, `dcr-conformance: ${target.name} - ${report.status}`).html,
    h('style', null, { html: style }).html,
    '</head>',
    h('body', null, fragment([{ html: '' }, body, { html: '' }])).html,
    '</html>',
    '',
  ].join('\n')
}

export function createHtmlReporter(options: HtmlReporterOptions = {}): Reporter {
  return createOutputReporter(options, renderHtml)
}
