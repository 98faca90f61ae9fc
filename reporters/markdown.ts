/**
 * The Markdown reporter, for `$GITHUB_STEP_SUMMARY` or a pull-request comment (issue 11, item 5):
 * the summary, failures first (exchanges folded in `<details>`), the root causes, the requirement
 * table with spec links, and the full scenario list collapsed. Every value from the target is
 * escaped, so a hostile response cannot inject markup.
 */
import type { CheckResult, Exchange, ScenarioResult, StepResult } from '../harness/model/result.ts'
import type { Report } from '../harness/model/report.ts'
import type { Reporter } from '../harness/model/reporter.ts'
import { rootCauseLine } from '../harness/verdicts/root-causes.ts'
import { fileAndLine, prettyBody, requirementIndex, requirementRef } from './failure-text.ts'
import { subjectExchanges, valuesNotInMessage, type RequirementIndex } from './failure-text.ts'
import { checkHint, errorHint, rootCauseHint } from './hints.ts'
import { deviationLine, deviationsIn } from './known-deviations.ts'
import { createOutputReporter, type OutputOptions } from './output.ts'
import { REQUIREMENT_COLUMNS, requirementCountsLine, scenarioList } from './requirements-table.ts'
import { verdictLabel } from './requirements-table.ts'
import { expectedActual, inconclusiveNote, needsDetails, scenarioNote } from './scenario-notes.ts'
import { countsLine, displayOutcome, erroredStep, failingChecks } from './summary.ts'
import { formatDuration, reasonOf, SUMMARY_COLUMNS, summaryNumbers, truncate } from './summary.ts'
import { isUnexpectedProblem } from '../harness/verdicts/run-status.ts'

export type MarkdownReporterOptions = OutputOptions

const controls = /[\u0000-\u0008\u000b-\u001f\u007f]/g

/** Escape text for a Markdown paragraph or table cell (one line). */
export function escapeMarkdown(text: string): string {
  return text
    .replace(controls, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/^([#>+=-]|\d+\.)/, '\\$1')
    .replace(/\r?\n/g, '<br>')
}

/** A fenced code block whose fence is longer than any backtick run inside. */
export function codeBlock(text: string, language = ''): string {
  const clean = text.replace(controls, '')
  const longest = Math.max(2, ...[...clean.matchAll(/`+/g)].map((match) => match[0].length))
  const fence = '`'.repeat(longest + 1)
  return `${fence}${language}\n${clean}\n${fence}`
}

const icons: Record<string, string> = {
  passed: '✅',
  failed: '❌',
  warned: '⚠️',
  skipped: '⏭️',
  errored: '💥',
  inconclusive: '❔',
  xfail: '➖',
  xwarn: '➖',
}

/** Verdict marks of the requirement table (`excused`: a known deviation). */
const verdictIcons: Record<string, string> = {
  pass: '✅',
  fail: '❌',
  warn: '⚠️',
  inconclusive: '❔',
  'not-applicable': '⏭️',
  untested: '◻️',
  excused: '➖',
}

/** Scenario ids shown per requirement row (a PR comment has a size limit). */
const MAX_SCENARIOS_PER_ROW = 8

/** A table row from cells that are already Markdown. */
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`

/** One exchange folded under its request line: the step summary stays short. */
function exchangeDetails(exchange: Exchange): string {
  const { request, response } = exchange
  const status = response ? String(response.status) : 'no response'
  const line = `${request.method} ${request.url} -> ${status}`
  const text = [line]
  for (const [name, value] of Object.entries(request.headers)) text.push(`> ${name}: ${value}`)
  if (request.body) text.push(`> ${prettyBody(request.body, 1024)}`)
  if (response) {
    for (const [name, value] of Object.entries(response.headers)) text.push(`< ${name}: ${value}`)
    if (response.body) text.push(`< ${prettyBody(response.body, 2048)}`)
  }
  if (exchange.error) text.push(`! ${exchange.error}`)
  return [
    `<details><summary>${escapeMarkdown(truncate(line, 200))}</summary>`,
    '',
    codeBlock(text.join('\n'), 'http'),
    '',
    '</details>',
  ].join('\n')
}

/** A failing check: requirement with title and spec link, message, values once, hint. */
function checkSection(step: StepResult, check: CheckResult, index: RequirementIndex): string[] {
  const parts = [`**${escapeMarkdown(step.id)}**: ${escapeMarkdown(check.name)} (${check.level})`]
  if (check.requirement) {
    const ref = requirementRef(check.requirement, index)
    const title = ref.title ? ` ${escapeMarkdown(ref.title)}` : ''
    const link = ref.url ? ` ([${escapeMarkdown(ref.source ?? ref.url)}](${ref.url}))` : ''
    parts.push('', `Requirement ${escapeMarkdown(ref.id)}${title}${link}`)
  }
  if (check.excused !== undefined) {
    parts.push('', `Known deviation: ${escapeMarkdown(check.excused)}`)
  }
  if (check.message) parts.push('', escapeMarkdown(check.message))
  const { expected, actual } = valuesNotInMessage(check)
  const values = expectedActual({ ...check, expected, actual }, 1500)
  if (values) parts.push('', codeBlock(values))
  const hint = checkHint(step, check)
  if (hint) parts.push('', `Hint: ${escapeMarkdown(hint)}`)
  return parts
}

function failureSection(scenario: ScenarioResult, index: RequirementIndex): string {
  const parts: string[] = [`### ${escapeMarkdown(`${scenario.id}: ${scenario.title}`)}`, '']
  const failing = failingChecks(scenario).filter(({ check }) => check.level !== 'may')
  const errored = scenario.outcome === 'errored' ? erroredStep(scenario) : undefined
  parts.push(`- Outcome: **${displayOutcome(scenario)}**`)
  parts.push(`- File: ${escapeMarkdown(fileAndLine(scenario.file, errored ?? failing[0]?.step))}`)
  if (scenario.outcome === 'errored') {
    const where = errored ? ` in step ${errored.id}` : ''
    const reason = reasonOf(scenario) ?? 'no message'
    parts.push(`- Error${escapeMarkdown(where)}: ${escapeMarkdown(reason)}`)
    const hint = errorHint(errored?.message ?? reason)
    if (hint) parts.push(`- Hint: ${escapeMarkdown(hint)}`)
  }
  parts.push('')
  const shown = new Set<StepResult>()
  if (errored) {
    shown.add(errored)
    for (const exchange of subjectExchanges(errored).slice(-3)) {
      parts.push(exchangeDetails(exchange), '')
    }
  }
  for (const { step, check } of failing) {
    parts.push(...checkSection(step, check, index), '')
    if (shown.has(step)) continue
    shown.add(step)
    for (const exchange of subjectExchanges(step).slice(-3)) {
      parts.push(exchangeDetails(exchange), '')
    }
  }
  return parts.join('\n')
}

/** A `## title` section of bullets (already Markdown); nothing when there are none. */
function bullets(title: string, items: string[]): string[] {
  return items.length === 0 ? [] : ['', `## ${title}`, '', ...items.map((item) => `- ${item}`)]
}

function header(report: Report): string[] {
  const { tool, target } = report
  const about = [
    `Issuer ${target.issuer}`,
    `started ${report.startedAt}`,
    formatDuration(report.durationMs),
    `seed ${report.seed}`,
    `${tool.name} ${tool.version}`,
  ].join(' · ')
  return [
    `# dcr-conformance: ${escapeMarkdown(target.name)} — ${report.status.toUpperCase()}`,
    '',
    escapeMarkdown(about),
    '',
    // Why an errored or interrupted run ended so, when no scenario says it.
    ...(report.reason ? [`**${escapeMarkdown(report.reason)}**`, ''] : []),
    countsLine(report.counts),
    '',
    row([...SUMMARY_COLUMNS]),
    row(SUMMARY_COLUMNS.map(() => '---:')),
    row(summaryNumbers(report)),
  ]
}

/** The verdict per requirement: title, spec link, the scenarios behind each. */
function requirementsSection(report: Report): string[] {
  if (report.requirements.length === 0) return []
  const [first, second, ...rest] = REQUIREMENT_COLUMNS
  const columns = [first ?? 'Requirement', second ?? 'Title', 'Spec', ...rest]
  const index = requirementIndex(report)
  const lines = [
    '',
    '## Requirements',
    '',
    escapeMarkdown(requirementCountsLine(report.requirements)),
    '',
    row(['', ...columns]),
    row(columns.map(() => '---').concat('---')),
  ]
  for (const requirement of report.requirements) {
    const key = requirement.excused ? 'excused' : requirement.verdict
    const ref = requirementRef(requirement.id, index)
    const spec = ref.url ? `[${escapeMarkdown(ref.source ?? ref.url)}](${ref.url})` : ''
    lines.push(
      row([
        verdictIcons[key] ?? '',
        escapeMarkdown(requirement.id),
        escapeMarkdown(requirement.title ?? ''),
        spec,
        requirement.level ?? '',
        verdictLabel(requirement),
        escapeMarkdown(scenarioList(requirement.scenarios, MAX_SCENARIOS_PER_ROW)),
      ]),
    )
  }
  return lines
}

/** Inconclusive scenarios, one line per root cause (one server bug reads as one line). */
function rootCausesSection(report: Report): string[] {
  const lines = report.rootCauses.map((cause) => {
    const hint = rootCauseHint(report, cause)
    const line = escapeMarkdown(rootCauseLine(cause))
    return hint ? `${line}<br>Hint: ${escapeMarkdown(hint)}` : line
  })
  for (const scenario of report.scenarios) {
    if (scenario.outcome === 'inconclusive' && !scenario.blocker)
      lines.push(escapeMarkdown(`${scenario.id}: ${inconclusiveNote(scenario)}`))
  }
  return bullets('Inconclusive scenarios by root cause', lines)
}

/** Failures first: unexpected failures and errors in detail, then warnings. */
/**
 * GitHub refuses a step summary over 1 MiB: the detailed sections stop at this size and the
 * rest of their scenarios are listed one line each.
 */
export const MAX_DETAILS_CHARS = 600_000

function detailed(
  title: string,
  scenarios: ScenarioResult[],
  index: RequirementIndex,
  budget: { left: number },
): string[] {
  if (scenarios.length === 0) return []
  const lines = ['', `## ${title} (${scenarios.length})`, '']
  const rest: string[] = []
  for (const scenario of scenarios) {
    const section = budget.left > 0 ? failureSection(scenario, index) : undefined
    if (section === undefined || section.length > budget.left) {
      budget.left = 0
      const note = escapeMarkdown(truncate(scenarioNote(scenario), 300))
      rest.push(`- ${escapeMarkdown(scenario.id)}: ${note}`)
      continue
    }
    budget.left -= section.length
    lines.push(section)
  }
  if (rest.length > 0) {
    lines.push('', `${rest.length} more (details in the HTML and JSON reports):`, '', ...rest)
  }
  return lines
}

/** Failures first: unexpected failures and errors in detail, then warnings. */
function failuresSection(report: Report): string[] {
  const index = requirementIndex(report)
  const unexpected = report.scenarios.filter(isUnexpectedProblem)
  const others = report.scenarios.filter(
    (scenario) => needsDetails(scenario) && !isUnexpectedProblem(scenario),
  )
  const budget = { left: MAX_DETAILS_CHARS }
  return [
    ...detailed('Failures', unexpected, index, budget),
    ...detailed('Warnings and known deviations', others, index, budget),
  ]
}

/** Every scenario, folded away: the step summary leads with what needs a look. */
function scenariosSection(report: Report): string[] {
  const lines = [
    '',
    '## Scenarios',
    '',
    `<details><summary>All ${report.scenarios.length} scenarios</summary>`,
    '',
    row(['', 'Scenario', 'Outcome', 'Requirements', 'Time', 'Note']),
    row(['---', '---', '---', '---', '---:', '---']),
  ]
  for (const scenario of report.scenarios) {
    const label = displayOutcome(scenario)
    lines.push(
      row([
        icons[label] ?? '',
        `${escapeMarkdown(scenario.id)}<br>${escapeMarkdown(scenario.title)}`,
        label,
        escapeMarkdown(scenario.requirements.join(', ')),
        formatDuration(scenario.durationMs),
        escapeMarkdown(truncate(scenarioNote(scenario), 300)),
      ]),
    )
  }
  lines.push('', '</details>')
  return lines
}

/** The whole Markdown document. */
export function renderMarkdown(report: Report): string {
  const escaped = (items: readonly string[]) => items.map((item) => escapeMarkdown(item))
  const lines: string[] = [
    ...header(report),
    ...failuresSection(report),
    ...rootCausesSection(report),
    ...requirementsSection(report),
    ...scenariosSection(report),
    ...bullets('Known deviations', escaped(deviationsIn(report, 'met').map(deviationLine))),
    ...bullets(
      'Stale expectations (the run fails: update the expectations file)',
      escaped(deviationsIn(report, 'stale').map(deviationLine)),
    ),
    ...bullets(
      'Expectations not tested in this run',
      escaped(deviationsIn(report, 'unused').map(deviationLine)),
    ),
    ...bullets(
      'Clients left over',
      escaped((report.leftovers ?? []).map(({ client_id, reason }) => `${client_id}: ${reason}`)),
    ),
    ...bullets('Notices', escaped(report.notices ?? [])),
    ...bullets('Caveats', escaped(report.caveats ?? [])),
  ]
  return `${lines.join('\n')}\n`
}

export function createMarkdownReporter(options: MarkdownReporterOptions = {}): Reporter {
  return createOutputReporter(options, renderMarkdown)
}
