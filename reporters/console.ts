/**
 * The console reporter: live progress while the run goes, the failures in detail at the end and
 * a one-line summary a human (or a grep in CI) can read.
 */
import type {
  CheckResult,
  Exchange,
  Report,
  Reporter,
  RunInfo,
  ScenarioResult,
  StepResult,
} from '../harness/types.ts'
import { createPalette, shouldUseColor, stripControl } from './ansi.ts'
import type { Palette } from './ansi.ts'
import {
  countExpectations,
  countsLine,
  displayOutcome,
  erroredStep,
  expectationState,
  failingChecks,
  formatDuration,
  formatValue,
  reasonOf,
  staleMessage,
  truncate,
} from './summary.ts'

export interface ConsoleReporterOptions {
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }
  /** Force colours on or off (default: TTY and no `NO_COLOR`, `FORCE_COLOR` honoured). */
  color?: boolean
  /** Force live progress on or off (default: when the stream is a TTY). */
  live?: boolean
  env?: Record<string, string | undefined>
}

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
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

type Label = ReturnType<typeof displayOutcome>

function symbolFor(label: Label, palette: Palette): string {
  switch (label) {
    case 'passed':
      return palette.green('✓')
    case 'failed':
    case 'stale':
      return palette.red('✗')
    case 'warned':
      return palette.yellow('!')
    case 'skipped':
      return palette.dim('-')
    case 'errored':
      return palette.red('E')
    default:
      return palette.dim('x')
  }
}

/** One line per scenario: `✓ passed  id  (12 ms)`, `- skipped  id: reason`, ... */
export function scenarioLine(scenario: ScenarioResult, palette: Palette): string {
  const label = displayOutcome(scenario)
  const id = stripControl(scenario.id)
  const duration = palette.dim(`(${formatDuration(scenario.durationMs)})`)
  const reason = stripControl(reasonOf(scenario) ?? '')
  const symbol = symbolFor(label, palette)
  const expectedReason = stripControl(scenario.expected?.reason ?? '')
  switch (label) {
    case 'skipped':
      return `${symbol} skipped  ${id}: ${reason || 'no reason given'}`
    case 'errored':
      return `${symbol} errored  ${id}  ${duration}: ${reason || 'no message'}`
    case 'stale':
      return `${symbol} stale  ${id}  ${duration}: ${stripControl(staleMessage(scenario))}`
    case 'xfail':
    case 'xerror':
    case 'xwarn':
      return `${symbol} ${label}  ${id}  ${duration}: expected: ${expectedReason}`
    default:
      return `${symbol} ${label}  ${id}  ${duration}`
  }
}

function indent(text: string, prefix: string): string {
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
  if (scenario.expected) {
    lines.push(
      `   expectation: ${scenario.expected.outcome} (${stripControl(scenario.expected.reason)})`,
    )
  }
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
    const requirement = check.requirement ? `, ${check.requirement}` : ''
    const colour = check.level === 'must' ? palette.red : palette.yellow
    lines.push(
      colour(stripControl(`   step ${step.id}: ${check.name} (${check.level}${requirement})`)),
    )
    if (check.message) lines.push(`     ${stripControl(check.message)}`)
    lines.push(...valueLines(check))
    if (!shownSteps.has(step)) {
      shownSteps.add(step)
      lines.push(...stepExchanges(step, palette))
    }
  }
  return lines.join('\n')
}

/** The end-of-run text: details, lists, summary line, duration and notices. */
export function renderSummary(
  report: Report,
  palette: Palette,
  seenNotices: readonly string[] = [],
): string {
  const out: string[] = []
  const unexpected = report.scenarios.filter(
    (scenario) =>
      (scenario.outcome === 'failed' || scenario.outcome === 'errored') &&
      expectationState(scenario) !== 'met',
  )
  if (unexpected.length > 0) {
    out.push('', palette.bold(palette.red(`Failures (${unexpected.length}):`)), '')
    unexpected.forEach((scenario, i) => out.push(failureDetails(scenario, i + 1, palette), ''))
  }
  const warned = report.scenarios.filter((scenario) => scenario.outcome === 'warned')
  if (warned.length > 0) {
    out.push('', palette.bold(palette.yellow(`Warnings (${warned.length}):`)))
    for (const scenario of warned) {
      for (const { step, check } of failingChecks(scenario)) {
        if (check.level !== 'should') continue
        const requirement = check.requirement ? ` [${check.requirement}]` : ''
        const message = check.message ? `: ${check.message}` : ''
        out.push(
          stripControl(`  ! ${scenario.id} > ${step.id}: ${check.name}${requirement}${message}`),
        )
      }
    }
  }
  const xfail = report.scenarios.filter((scenario) => expectationState(scenario) === 'met')
  if (xfail.length > 0) {
    out.push('', palette.bold(`Expected outcomes from the expectations file (${xfail.length}):`))
    for (const scenario of xfail) {
      out.push(
        stripControl(
          `  x ${displayOutcome(scenario)}  ${scenario.id}: ${scenario.expected?.reason ?? ''}`,
        ),
      )
    }
  }
  const stale = report.scenarios.filter((scenario) => expectationState(scenario) === 'stale')
  if (stale.length > 0) {
    out.push(
      '',
      palette.bold(
        palette.red(`Stale expectations (${stale.length}) - update the expectations file:`),
      ),
    )
    for (const scenario of stale)
      out.push(stripControl(`  ✗ ${scenario.id}: ${staleMessage(scenario)}`))
  }
  if (report.leftovers && report.leftovers.length > 0) {
    out.push(
      '',
      palette.bold(palette.yellow(`Clients left over on the target (${report.leftovers.length}):`)),
    )
    for (const leftover of report.leftovers)
      out.push(stripControl(`  ${leftover.client_id}: ${leftover.reason}`))
  }
  const notices = [...new Set([...seenNotices, ...(report.notices ?? [])])]
  if (notices.length > 0) {
    out.push('', palette.bold('Notices:'))
    for (const notice of notices) out.push(stripControl(`  - ${notice}`))
  }
  const expectations = countExpectations(report.scenarios)
  const extra: string[] = [
    `${report.counts.total} scenarios in ${formatDuration(report.durationMs)}`,
  ]
  if (expectations.met > 0) extra.push(`${expectations.met} expected by the expectations file`)
  if (expectations.stale > 0)
    extra.push(`${expectations.stale} stale expectation${expectations.stale > 1 ? 's' : ''}`)
  extra.push(`target ${stripControl(report.target.name)}`, `seed ${report.seed}`)
  const verdict =
    report.status === 'passed'
      ? palette.green(palette.bold('PASSED'))
      : report.status === 'failed'
        ? palette.red(palette.bold('FAILED'))
        : palette.red(palette.bold('ERRORED'))
  out.push('', countsLine(report.counts), palette.dim(extra.join(' · ')), `Result: ${verdict}`, '')
  return out.join('\n')
}

/** Live progress on a TTY (one line rewritten in place); one line per scenario otherwise. */
export function createConsoleReporter(options: ConsoleReporterOptions = {}): Reporter {
  const stream = options.stream ?? process.stdout
  const env = options.env ?? process.env
  const palette = createPalette(shouldUseColor(stream, env, options.color))
  const live = options.live ?? stream.isTTY === true
  const running = new Map<string, number>()
  const notices: string[] = []
  let planned = 0
  let done = 0
  let frame = 0
  let timer: NodeJS.Timeout | undefined
  let progressShown = false

  const write = (text: string) => {
    stream.write(text)
  }

  function clearProgress(): void {
    if (live && progressShown) write('\r\u001b[2K')
    progressShown = false
  }

  function drawProgress(): void {
    if (!live) return
    const width = Math.max(20, (stream.columns ?? 80) - 1)
    const names = [...running.keys()].join(', ')
    const spinner = SPINNER[frame % SPINNER.length] ?? '-'
    const text = stripControl(`${spinner} ${done}/${planned || '?'}${names ? `  ${names}` : ''}`)
    const fitted = text.length > width ? `${text.slice(0, width - 1)}…` : text
    write(`\r\u001b[2K${palette.cyan(fitted)}`)
    progressShown = true
  }

  function printLine(line: string): void {
    clearProgress()
    write(`${line}\n`)
    drawProgress()
  }

  return {
    onRunStart(info: RunInfo) {
      planned = info.planned
      write(
        palette.bold(
          `dcr-conformance: ${info.planned} scenarios against ${stripControl(info.target.name)}`,
        ) + palette.dim(` (${stripControl(info.target.issuer)}, seed ${info.seed})\n`),
      )
      if (live) {
        timer = setInterval(() => {
          frame += 1
          drawProgress()
        }, 100)
        timer.unref()
        drawProgress()
      }
    },
    onScenarioStart(scenario) {
      running.set(scenario.id, Date.now())
      drawProgress()
    },
    onScenarioEnd(result: ScenarioResult) {
      running.delete(result.id)
      done += 1
      printLine(scenarioLine(result, palette))
    },
    onNotice(message: string) {
      notices.push(message)
      printLine(palette.yellow(`notice: ${stripControl(message)}`))
    },
    onRunEnd(report: Report) {
      if (timer) clearInterval(timer)
      timer = undefined
      clearProgress()
      write(renderSummary(report, palette, notices))
    },
  }
}
