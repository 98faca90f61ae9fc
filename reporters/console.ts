/**
 * The console reporter: live progress while the run goes (one line per scenario, inconclusive
 * ones with their blocker), then the summary of console-summary.ts.
 */
import type { Report, Reporter, RunInfo, ScenarioResult } from '../harness/types.ts'
import { createPalette, shouldUseColor, stripControl } from './ansi.ts'
import type { Palette } from './ansi.ts'
import { renderSummary } from './console-summary.ts'
import { excuseReasons, inconclusiveNote } from './scenario-notes.ts'
import { displayOutcome, formatDuration, reasonOf } from './summary.ts'

export { BODY_PREVIEW_CHARS, failureDetails, formatExchange } from './console-details.ts'
export { renderSummary } from './console-summary.ts'

export interface ConsoleReporterOptions {
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }
  /** Force colours on or off (default: TTY and no `NO_COLOR`, `FORCE_COLOR` honoured). */
  color?: boolean
  /** Force live progress on or off (default: when the stream is a TTY). */
  live?: boolean
  env?: Record<string, string | undefined>
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

type Label = ReturnType<typeof displayOutcome>

function symbolFor(label: Label, palette: Palette): string {
  switch (label) {
    case 'passed':
      return palette.green('✓')
    case 'failed':
      return palette.red('✗')
    case 'warned':
      return palette.yellow('!')
    case 'inconclusive':
      return palette.magenta('?')
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
  switch (label) {
    case 'skipped':
      return `${symbol} skipped  ${id}: ${reason || 'no reason given'}`
    case 'errored':
      return `${symbol} errored  ${id}  ${duration}: ${reason || 'no message'}`
    case 'inconclusive': {
      const note = stripControl(inconclusiveNote(scenario))
      return `${symbol} inconclusive  ${id}  ${duration}: ${note}`
    }
    case 'xfail':
    case 'xwarn': {
      const reasons = stripControl(excuseReasons(scenario).join('; '))
      return `${symbol} ${label}  ${id}  ${duration}: known deviation: ${reasons}`
    }
    default:
      return `${symbol} ${label}  ${id}  ${duration}`
  }
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
