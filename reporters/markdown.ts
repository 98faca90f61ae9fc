/**
 * The Markdown reporter: a summary table and the failures, for a pull-request comment or a CI job
 * summary. Every value from the target is escaped, so a hostile response cannot inject markup.
 */
import type { Report, Reporter, ScenarioResult } from '../harness/types.ts'
import { rootCauseLine } from '../harness/verdicts/root-causes.ts'
import { deviationLine, deviationsIn } from './known-deviations.ts'
import { createOutputReporter, type OutputOptions } from './output.ts'
import {
  REQUIREMENT_COLUMNS,
  requirementCountsLine,
  scenarioList,
  verdictLabel,
} from './requirements-table.ts'
import {
  expectedActual,
  inconclusiveNote,
  needsDetails,
  scenarioNote,
} from './scenario-notes.ts'
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

function failureSection(scenario: ScenarioResult): string {
  const parts: string[] = [`### ${escapeMarkdown(`${scenario.id}: ${scenario.title}`)}`, '']
  parts.push(`- Outcome: **${displayOutcome(scenario)}**`)
  parts.push(`- File: ${escapeMarkdown(scenario.file)}`)
  if (scenario.requirements.length > 0) {
    parts.push(`- Requirements: ${escapeMarkdown(scenario.requirements.join(', '))}`)
  }
  if (scenario.outcome === 'errored') {
    const step = erroredStep(scenario)
    const where = step ? ` in step ${step.id}` : ''
    parts.push(
      `- Error${escapeMarkdown(where)}: ${escapeMarkdown(reasonOf(scenario) ?? 'no message')}`,
    )
  }
  parts.push('')
  for (const { step, check } of failingChecks(scenario)) {
    if (check.level === 'may') continue
    const requirement = check.requirement ? ` ${escapeMarkdown(`[${check.requirement}]`)}` : ''
    const name = `**${escapeMarkdown(step.id)}**: ${escapeMarkdown(check.name)}`
    parts.push(`${name} (${check.level})${requirement}`)
    if (check.excused !== undefined)
      parts.push('', `Known deviation: ${escapeMarkdown(check.excused)}`)
    if (check.message) parts.push('', escapeMarkdown(check.message))
    const values = expectedActual(check, 1500)
    if (values) parts.push('', codeBlock(values))
    const exchange = step.exchanges.at(-1)
    if (exchange) {
      const { request, response } = exchange
      const status = response ? String(response.status) : 'no response'
      const body = response?.body ? `\n\n${truncate(response.body, 1024)}` : ''
      parts.push('', codeBlock(`${request.method} ${request.url} -> ${status}${body}`, 'http'))
    }
    parts.push('')
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
    countsLine(report.counts),
    '',
    row([...SUMMARY_COLUMNS]),
    row(SUMMARY_COLUMNS.map(() => '---:')),
    row(summaryNumbers(report)),
  ]
}

/** The verdict per requirement, with the scenarios behind each. */
function requirementsSection(report: Report): string[] {
  if (report.requirements.length === 0) return []
  const lines = [
    '',
    '## Requirements',
    '',
    escapeMarkdown(requirementCountsLine(report.requirements)),
    '',
    row(['', ...REQUIREMENT_COLUMNS]),
    row(REQUIREMENT_COLUMNS.map(() => '---').concat('---')),
  ]
  for (const requirement of report.requirements) {
    const key = requirement.excused ? 'excused' : requirement.verdict
    lines.push(
      row([
        verdictIcons[key] ?? '',
        escapeMarkdown(requirement.id),
        escapeMarkdown(requirement.title ?? ''),
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
  const lines = report.rootCauses.map((cause) => escapeMarkdown(rootCauseLine(cause)))
  for (const scenario of report.scenarios) {
    if (scenario.outcome === 'inconclusive' && !scenario.blocker)
      lines.push(escapeMarkdown(`${scenario.id}: ${inconclusiveNote(scenario)}`))
  }
  return bullets('Inconclusive scenarios by root cause', lines)
}

function scenariosSection(report: Report): string[] {
  const lines = [
    '',
    '## Scenarios',
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
  const problems = report.scenarios.filter(needsDetails)
  if (problems.length > 0) {
    lines.push('', '## Failures and warnings', '')
    for (const scenario of problems) lines.push(failureSection(scenario))
  }
  return lines
}

/** The whole Markdown document. */
export function renderMarkdown(report: Report): string {
  const escaped = (items: readonly string[]) => items.map((item) => escapeMarkdown(item))
  const lines: string[] = [
    ...header(report),
    ...requirementsSection(report),
    ...rootCausesSection(report),
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
