/** `dcr-conformance fuzz`: argument parsing, output and exit code (the work is in fuzz.ts). */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { UsageError } from '../errors.ts'
import type { CliIo } from './cli-io.ts'
import { choiceOption, integerOption, parseCommand } from '../config/args.ts'
import { FUZZ_USAGE } from '../config/usage.ts'
import { RunLedger } from '../runner/ledger.ts'
import { exitCodeOf, runFuzz, type FuzzOptions, type FuzzReport } from '../fuzz/fuzz.ts'
import { formatReport } from '../fuzz/report.ts'

const FUZZ_OPTIONS = {
  target: { type: 'string' },
  targets: { type: 'string' },
  fault: { type: 'string', multiple: true },
  seed: { type: 'string' },
  runs: { type: 'string' },
  'time-budget': { type: 'string' },
  'max-findings': { type: 'string' },
  format: { type: 'string' },
  out: { type: 'string' },
} as const

export async function fuzzCommand(argv: string[], io: CliIo): Promise<number> {
  const stdout = io.stdout ?? process.stdout
  const stderr = io.stderr ?? process.stderr
  const parsed = parseCommand(argv, FUZZ_OPTIONS, { command: 'fuzz', usage: FUZZ_USAGE, stdout })
  if (!parsed) return 0
  const { values } = parsed
  const format = choiceOption('--format', values.format, ['text', 'json'], 'text')
  const options: FuzzOptions = {
    ...(values.target !== undefined ? { target: values.target } : {}),
    ...(values.targets !== undefined ? { targetsFile: values.targets } : {}),
    ...(values.fault ? { faults: values.fault } : {}),
    ...(values.seed !== undefined
      ? { seed: integerOption('--seed', values.seed, 0, 0xffff_ffff) }
      : {}),
    ...(values.runs !== undefined
      ? { runs: integerOption('--runs', values.runs, 1, 1_000_000) }
      : {}),
    ...(values['time-budget'] !== undefined
      ? { timeBudgetMs: durationMs(values['time-budget']) }
      : {}),
    ...(values['max-findings'] !== undefined
      ? { maxFindings: integerOption('--max-findings', values['max-findings'], 1, 1000) }
      : {}),
    ...(io.cwd ? { cwd: io.cwd } : {}),
    ...(io.env ? { env: io.env } : {}),
    onNotice: (message) => stderr.write(`notice: ${message}\n`),
  }
  // Ctrl-C as for `run` (harness/signals.ts): stop generating, delete every client, exit 3.
  const { interruptOnSignals } = await import('../signals.ts')
  const ledger = new RunLedger()
  const interrupt = interruptOnSignals({ stderr, pending: () => ledger.entries() })
  let report: FuzzReport
  try {
    report = await runFuzz({ ...options, ledger, signal: interrupt.signal })
  } finally {
    interrupt.dispose()
  }
  if (values.out !== undefined) {
    const folder = resolve(io.cwd ?? process.cwd(), values.out)
    for (const finding of report.findings) {
      const file = resolve(folder, `${finding.scenario.id}.yaml`)
      await mkdir(dirname(file), { recursive: true })
      await writeFile(file, finding.scenario.yaml)
    }
  }
  stdout.write(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report))
  return exitCodeOf(report)
}

/** `90s`, `5m`, `1500ms`, or a bare number of seconds. */
export function durationMs(text: string): number {
  const match = /^(\d+)(ms|s|m)?$/.exec(text.trim())
  const amount = match ? Number(match[1]) : Number.NaN
  const factor = match?.[2] === 'ms' ? 1 : match?.[2] === 'm' ? 60_000 : 1000
  const ms = amount * factor
  if (!Number.isSafeInteger(ms) || ms < 1) {
    throw new UsageError(
      `--time-budget must be a duration such as 90s, 5m or 1500ms (got '${text}')`,
    )
  }
  return ms
}
