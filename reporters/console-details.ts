/**
 * The console's detailed block for one failed or errored scenario: each failing check with its
 * level, requirement, values and the exchanges behind it (redacted, bodies cut to ~1 KiB).
 */
import type { CheckResult, Exchange, ScenarioResult, StepResult } from '../harness/types.ts'
import { stripControl, type Palette } from './ansi.ts'
import {
  displayOutcome,
  erroredStep,
  failingChecks,
  formatDuration,
  formatValue,
  reasonOf,
  truncate,
} from './summary.ts'

/** Body text shown per exchange in failure details. */
export const BODY_PREVIEW_CHARS = 1024
/** Headers worth showing in failure details (the rest is in the JSON report). */
const SHOWN_HEADERS = [
  'content-type',
  'location',
  'www-authenticate',
  'authorization',
  'cache-control',
]

export function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n')
}

function headerLines(headers: Record<string, string>): string[] {
  return Object.entries(headers)
    .filter(([name]) => SHOWN_HEADERS.includes(name.toLowerCase()))
    .map(([name, value]) => `${name}: ${truncate(value, 200)}`)
}

/** A redacted exchange, short: method URL, status, a few headers, bodies up to ~1 KiB. */
export function formatExchange(exchange: Exchange): string {
  const lines: string[] = []
  const { request, response } = exchange
  const status = response ? `${response.status}` : 'no response'
  lines.push(
    `${request.method} ${request.url} -> ${status} (${formatDuration(exchange.durationMs)})`,
  )
  for (const header of headerLines(request.headers)) lines.push(`  > ${header}`)
  if (request.body) lines.push(indent(truncate(request.body, BODY_PREVIEW_CHARS), '  > '))
  if (response) {
    for (const header of headerLines(response.headers)) lines.push(`  < ${header}`)
    if (response.body) lines.push(indent(truncate(response.body, BODY_PREVIEW_CHARS), '  < '))
    if (response.truncated) lines.push('  < (body truncated by the size limit)')
  }
  if (exchange.error) lines.push(`  ! ${exchange.error}`)
  return stripControl(lines.join('\n'))
}

function stepExchanges(step: StepResult, palette: Palette): string[] {
  if (step.exchanges.length === 0) return []
  const shown = step.exchanges.slice(-3)
  const lines = [palette.dim(`     exchange${shown.length > 1 ? 's' : ''}:`)]
  if (step.exchanges.length > shown.length) {
    lines.push(
      palette.dim(
        `       (${step.exchanges.length - shown.length} earlier exchanges in the JSON report)`,
      ),
    )
  }
  for (const exchange of shown) lines.push(indent(formatExchange(exchange), '       '))
  return lines
}

/** `expected:` / `actual:` of a check, pretty JSON, continuation lines aligned. */
function valueLines(check: CheckResult): string[] {
  const lines: string[] = []
  for (const [label, value] of [
    ['expected:', check.expected],
    ['actual:', check.actual],
  ] as const) {
    if (value === undefined) continue
    const text = indent(stripControl(formatValue(value, 800)), ' '.repeat(15)).trimStart()
    lines.push(`     ${label.padEnd(10)}${text}`)
  }
  return lines
}

/** The lines of one failing check; an excused one says which known deviation excuses it. */
function checkLines(step: StepResult, check: CheckResult, palette: Palette): string[] {
  const requirement = check.requirement ? `, ${check.requirement}` : ''
  const excused = check.excused !== undefined
  const colour = excused ? palette.dim : check.level === 'must' ? palette.red : palette.yellow
  const lines = [
    colour(stripControl(`   step ${step.id}: ${check.name} (${check.level}${requirement})`)),
  ]
  if (excused) lines.push(palette.dim(stripControl(`     known deviation: ${check.excused}`)))
  if (check.message) lines.push(`     ${stripControl(check.message)}`)
  lines.push(...valueLines(check))
  return lines
}

/** The detailed block of one failed or errored scenario. */
export function failureDetails(scenario: ScenarioResult, index: number, palette: Palette): string {
  const lines: string[] = []
  const label = displayOutcome(scenario)
  lines.push(
    palette.bold(
      `${index}) ${stripControl(scenario.id)}: ${stripControl(scenario.title)}  [${label}]`,
    ),
  )
  lines.push(palette.dim(`   file: ${stripControl(scenario.file)}`))
  if (scenario.outcome === 'errored') {
    const step = erroredStep(scenario)
    const where = step ? `step ${step.id}` : 'scenario'
    lines.push(
      palette.red(`   ${where} errored: ${stripControl(reasonOf(scenario) ?? 'no message')}`),
    )
    if (step) lines.push(...stepExchanges(step, palette))
  }
  const shownSteps = new Set<StepResult>()
  for (const { step, check } of failingChecks(scenario)) {
    if (check.level === 'may') continue
    lines.push(...checkLines(step, check, palette))
    if (!shownSteps.has(step)) {
      shownSteps.add(step)
      lines.push(...stepExchanges(step, palette))
    }
  }
  return lines.join('\n')
}
