/**
 * The console reporter: live progress while the run goes (one line per scenario, inconclusive
 * ones with their blocker), then the summary of console-summary.ts.
 */
import type { ScenarioResult } from '../harness/model/result.ts'
import type { Report } from '../harness/model/report.ts'
import type { Reporter, RunInfo } from '../harness/model/reporter.ts'
import { CLEAR_LINE, createPalette, shouldUseColor, stripControl } from './ansi.ts'
import type { Palette } from './ansi.ts'
import { FolderGroups, type FolderBlock } from './console-groups.ts'
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

/** The symbol and its colour for each label; the known deviations (xfail, xwarn) are a dim x. */
const SYMBOLS: Record<Label, [Exclude<keyof Palette, 'enabled'>, string]> = {
  passed: ['green', '✓'],
  failed: ['red', '✗'],
  warned: ['yellow', '!'],
  inconclusive: ['magenta', '?'],
  skipped: ['dim', '-'],
  errored: ['red', 'E'],
  xfail: ['dim', 'x'],
  xwarn: ['dim', 'x'],
}

function symbolFor(label: Label, palette: Palette): string {
  const [colour, symbol] = SYMBOLS[label]
  return palette[colour](symbol)
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

/** A folder block of non-TTY output: a heading, then one `[n/N]` line per scenario run. */
function folderLines(
  block: FolderBlock,
  planned: number,
  palette: Palette,
  previous?: string,
): string[] {
  const shown = block.finished.filter(({ result }) => result.outcome !== 'skipped')
  const skipped = block.finished.length - shown.length
  const note = skipped > 0 ? `, ${skipped} skipped` : ''
  const count = block.complete ? ` (${block.finished.length}${note})` : ''
  const heading = palette.bold(`${stripControl(block.folder)}/${count}`)
  const width = String(planned || '?').length
  if (shown.length === 0 && !block.complete) return []
  const lines = shown.map(({ result, done }) => {
    const count = palette.dim(`[${String(done).padStart(width)}/${planned || '?'}]`)
    return `  ${count} ${scenarioLine(result, palette)}`
  })
  return block.folder === previous ? lines : [heading, ...lines]
}

/**
 * Non-TTY output: complete folders as blocks (results held until their folder is done), and
 * while results are held a `[n/N] running` mark when the first scenario ran and then every
 * tenth of the run, so a CI log never goes quiet for long.
 */
function groupedOutput(palette: Palette, print: (line: string) => void) {
  let groups = new FolderGroups(undefined)
  let planned = 0
  let lastMark = 0
  /** The folder of the last block printed: its heading is not repeated. */
  let lastFolder: string | undefined
  const printBlock = (block: FolderBlock) => {
    for (const line of folderLines(block, planned, palette, lastFolder)) print(line)
    if (block.finished.length > 0) lastFolder = block.folder
  }
  return {
    start(info: RunInfo): void {
      planned = info.planned
      groups = new FolderGroups(info.scenarios)
    },
    add(result: ScenarioResult, done: number): void {
      const block = groups.add({ result, done })
      if (block) return printBlock(block)
      // The first scenario that ran shows the run is alive; then a mark every tenth.
      const first = lastMark === 0 && result.outcome !== 'skipped'
      if (first || done - lastMark >= Math.max(10, Math.ceil(planned / 10))) {
        lastMark = done
        print(palette.dim(`[${done}/${planned || '?'}] running`))
      }
    },
    flush(): void {
      for (const block of groups.flush()) printBlock(block)
    },
  }
}

/** The live line of a TTY: a spinner, `done/planned` and the scenarios running. */
interface LiveLine {
  stream: NonNullable<ConsoleReporterOptions['stream']>
  palette: Palette
  /** False off a TTY: nothing is drawn, lines are only printed. */
  live: boolean
  running: Map<string, number>
  planned: number
  done: number
  frame: number
  timer: NodeJS.Timeout | undefined
  shown: boolean
}

function clearProgress(line: LiveLine): void {
  if (line.live && line.shown) line.stream.write(CLEAR_LINE)
  line.shown = false
}

function drawProgress(line: LiveLine): void {
  if (!line.live) return
  const width = Math.max(20, (line.stream.columns ?? 80) - 1)
  const names = [...line.running.keys()].join(', ')
  const spinner = SPINNER[line.frame % SPINNER.length] ?? '-'
  const counter = `${line.done}/${line.planned || '?'}`
  const text = stripControl(`${spinner} ${counter}${names ? `  ${names}` : ''}`)
  const fitted = text.length > width ? `${text.slice(0, width - 1)}…` : text
  line.stream.write(`${CLEAR_LINE}${line.palette.cyan(fitted)}`)
  line.shown = true
}

/** A finished line goes above the live line, which is drawn again below it. */
function printLine(line: LiveLine, text: string): void {
  clearProgress(line)
  line.stream.write(`${text}\n`)
  drawProgress(line)
}

/** The spinner turns every 100 ms; the timer never keeps the process alive. */
function startSpinner(line: LiveLine): void {
  if (!line.live) return
  line.timer = setInterval(() => {
    line.frame += 1
    drawProgress(line)
  }, 100)
  line.timer.unref()
  drawProgress(line)
}

function runHeading(info: RunInfo, palette: Palette): string {
  return (
    palette.bold(
      `dcr-conformance: ${info.planned} scenarios against ${stripControl(info.target.name)}`,
    ) + palette.dim(` (${stripControl(info.target.issuer)}, seed ${info.seed})\n`)
  )
}

/**
 * Live progress on a TTY (one line rewritten in place, a line per finished scenario); otherwise
 * (CI logs) results grouped by folder with an `[n/N]` counter. Skipped scenarios get no line of
 * their own: the summary counts them per reason.
 */
export function createConsoleReporter(options: ConsoleReporterOptions = {}): Reporter {
  const stream = options.stream ?? process.stdout
  const env = options.env ?? process.env
  const palette = createPalette(shouldUseColor(stream, env, options.color))
  const line: LiveLine = {
    stream,
    palette,
    live: options.live ?? stream.isTTY === true,
    running: new Map(),
    planned: 0,
    done: 0,
    frame: 0,
    timer: undefined,
    shown: false,
  }
  const notices: string[] = []
  const grouped = groupedOutput(palette, (text) => printLine(line, text))
  return {
    onRunStart(info: RunInfo) {
      line.planned = info.planned
      grouped.start(info)
      stream.write(runHeading(info, palette))
      startSpinner(line)
    },
    onScenarioStart(scenario) {
      line.running.set(scenario.id, Date.now())
      drawProgress(line)
    },
    onScenarioEnd(result: ScenarioResult) {
      line.running.delete(result.id)
      line.done += 1
      if (!line.live) grouped.add(result, line.done)
      else if (result.outcome !== 'skipped') printLine(line, scenarioLine(result, palette))
      else drawProgress(line)
    },
    onNotice(message: string) {
      notices.push(message)
      printLine(line, palette.yellow(`notice: ${stripControl(message)}`))
    },
    onRunEnd(report: Report) {
      if (line.timer) clearInterval(line.timer)
      line.timer = undefined
      clearProgress(line)
      grouped.flush()
      stream.write(renderSummary(report, palette, notices))
    },
  }
}
