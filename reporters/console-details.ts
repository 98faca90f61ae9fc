/**
 * The console's detailed block for one failed or errored scenario: each failing check with its
 * level, requirement, values and the exchanges behind it (redacted, bodies cut to ~1 KiB).
 */
import type { CheckResult, Exchange, ScenarioResult, StepResult } from '../harness/model/result.ts'
import { stripControl, type Palette } from './ansi.ts'
import { fileAndLine, prettyBody, requirementRef, requirementText } from './failure-text.ts'
import { subjectExchanges, valuesNotInMessage, type RequirementIndex } from './failure-text.ts'
import { checkHint, errorHint } from './hints.ts'
import { displayOutcome, erroredStep, failingChecks, formatDuration } from './summary.ts'
import { formatValue, reasonOf, truncate } from './summary.ts'

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
  if (request.body) lines.push(indent(prettyBody(request.body, BODY_PREVIEW_CHARS), '  > '))
  if (response) {
    for (const header of headerLines(response.headers)) lines.push(`  < ${header}`)
    if (response.body) lines.push(indent(prettyBody(response.body, BODY_PREVIEW_CHARS), '  < '))
    if (response.truncated) lines.push('  < (body truncated by the size limit)')
  }
  if (exchange.error) lines.push(`  ! ${exchange.error}`)
  return stripControl(lines.join('\n'))
}

/** The step's own exchanges (not the IAT fetched for a registration), the last three. */
function stepExchanges(step: StepResult, palette: Palette): string[] {
  const own = subjectExchanges(step)
  if (own.length === 0) return []
  const shown = own.slice(-3)
  const lines = [palette.dim(`     exchange${shown.length > 1 ? 's' : ''}:`)]
  if (step.exchanges.length > shown.length) {
    lines.push(
      palette.dim(
        `       (${step.exchanges.length - shown.length} other exchanges in the JSON report)`,
      ),
    )
  }
  for (const exchange of shown) lines.push(indent(formatExchange(exchange), '       '))
  return lines
}

/**
 * `expected:` / `actual:` of a check, pretty JSON, continuation lines aligned; only the values
 * the message does not already show.
 */
function valueLines(check: CheckResult): string[] {
  const lines: string[] = []
  const { expected, actual } = valuesNotInMessage(check)
  for (const [label, value] of [
    ['expected:', expected],
    ['actual:', actual],
  ] as const) {
    if (value === undefined) continue
    const text = indent(stripControl(formatValue(value, 800)), ' '.repeat(15)).trimStart()
    lines.push(`     ${label.padEnd(10)}${text}`)
  }
  return lines
}

/** The lines of one failing check; an excused one says which known deviation excuses it. */
function checkLines(
  step: StepResult,
  check: CheckResult,
  palette: Palette,
  requirements?: RequirementIndex,
): string[] {
  const excused = check.excused !== undefined
  const colour = excused ? palette.dim : check.level === 'must' ? palette.red : palette.yellow
  const lines = [colour(stripControl(`   step ${step.id}: ${check.name} (${check.level})`))]
  if (check.requirement) {
    const text = requirementText(requirementRef(check.requirement, requirements))
    lines.push(`     ${stripControl(text)}`)
  }
  if (excused) lines.push(palette.dim(stripControl(`     known deviation: ${check.excused}`)))
  if (check.message) lines.push(`     ${stripControl(check.message)}`)
  lines.push(...valueLines(check))
  const hint = checkHint(step, check)
  if (hint) lines.push(palette.cyan(`     hint: ${hint}`))
  return lines
}

/** The detailed block of one failed or errored scenario. */
export function failureDetails(
  scenario: ScenarioResult,
  index: number,
  palette: Palette,
  requirements?: RequirementIndex,
): string {
  const lines: string[] = []
  const label = displayOutcome(scenario)
  lines.push(
    palette.bold(
      `${index}) ${stripControl(scenario.id)}: ${stripControl(scenario.title)}  [${label}]`,
    ),
  )
  const failing = failingChecks(scenario).filter(({ check }) => check.level !== 'may')
  const errored = scenario.outcome === 'errored' ? erroredStep(scenario) : undefined
  const at = errored ?? failing[0]?.step
  lines.push(palette.dim(`   file: ${stripControl(fileAndLine(scenario.file, at))}`))
  if (scenario.outcome === 'errored') {
    const where = errored ? `step ${errored.id}` : 'scenario'
    const message = reasonOf(scenario) ?? 'no message'
    lines.push(palette.red(`   ${where} errored: ${stripControl(message)}`))
    const hint = errorHint(errored?.message ?? message)
    if (hint) lines.push(palette.cyan(`   hint: ${hint}`))
    if (errored) lines.push(...stepExchanges(errored, palette))
  }
  const shownSteps = new Set<StepResult>()
  for (const { step, check } of failing) {
    lines.push(...checkLines(step, check, palette, requirements))
    if (!shownSteps.has(step)) {
      shownSteps.add(step)
      lines.push(...stepExchanges(step, palette))
    }
  }
  return lines.join('\n')
}
