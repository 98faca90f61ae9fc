/**
 * The Markdown reporter: a summary table and the failures, for a pull-request comment or a CI job
 * summary. Every value from the target is escaped, so a hostile response cannot inject markup.
 */
import type { Report, Reporter, ScenarioResult } from '../harness/types.ts'
import { createOutputReporter, type OutputOptions } from './output.ts'
import {
  countsLine,
  displayOutcome,
  erroredStep,
  expectationState,
  expectedActual,
  failingChecks,
  formatDuration,
  needsDetails,
  reasonOf,
  scenarioNote,
  staleMessage,
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
  xfail: '➖',
  xerror: '➖',
  xwarn: '➖',
  stale: '❌',
}

/** A table row from cells that are already Markdown. */
const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`

function failureSection(scenario: ScenarioResult): string {
  const parts: string[] = [`### ${escapeMarkdown(`${scenario.id}: ${scenario.title}`)}`, '']
  parts.push(`- Outcome: **${displayOutcome(scenario)}**`)
  parts.push(`- File: ${escapeMarkdown(scenario.file)}`)
  if (scenario.requirements.length > 0) {
    parts.push(`- Requirements: ${escapeMarkdown(scenario.requirements.join(', '))}`)
  }
  if (scenario.expected) {
    const { outcome, reason } = scenario.expected
    parts.push(`- Expectation: ${escapeMarkdown(`${outcome} (${reason})`)}`)
    if (expectationState(scenario) === 'stale') {
      parts.push(`- ${escapeMarkdown(staleMessage(scenario))}`)
    }
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

/** The whole Markdown document. */
export function renderMarkdown(report: Report): string {
  const { counts, tool, target } = report
  const about = [
    `Issuer ${target.issuer}`,
    `started ${report.startedAt}`,
    formatDuration(report.durationMs),
    `seed ${report.seed}`,
    `${tool.name} ${tool.version}`,
  ].join(' · ')
  const lines: string[] = [
    `# dcr-conformance: ${escapeMarkdown(target.name)} — ${report.status.toUpperCase()}`,
    '',
    escapeMarkdown(about),
    '',
    countsLine(counts),
    '',
    row([...SUMMARY_COLUMNS]),
    row(SUMMARY_COLUMNS.map(() => '---:')),
    row(summaryNumbers(report)),
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
  const leftovers = report.leftovers ?? []
  if (leftovers.length > 0) {
    lines.push('', '## Clients left over', '')
    for (const { client_id, reason } of leftovers)
      lines.push(`- ${escapeMarkdown(`${client_id}: ${reason}`)}`)
  }
  if (report.notices && report.notices.length > 0) {
    lines.push('', '## Notices', '')
    for (const notice of report.notices) lines.push(`- ${escapeMarkdown(notice)}`)
  }
  return `${lines.join('\n')}\n`
}

export function createMarkdownReporter(options: MarkdownReporterOptions = {}): Reporter {
  return createOutputReporter(options, renderMarkdown)
}
