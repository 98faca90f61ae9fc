/**
 * The command line (usage text in config/usage.ts): `run` (default), `list`, and the subcommands
 * other modules own (`serve`, `faults`, `coverage`, `merge`, ...). Each command's module loads only
 * when that command runs, so `--help` and `--version` load this file and little else.
 */
import type { ParseArgsConfig } from 'node:util'
import { HarnessError, UsageError, exitCodeFor } from './errors.ts'
import { optionalInteger, parseCommand } from './config/args.ts'
import { SELECTION_FLAGS, selectionRequest } from './runner/run-flags.ts'
import { exitCodeForStatus } from './verdicts/run-status.ts'
import { DELEGATED_USAGE, MAIN_USAGE, RUN_USAGE } from './config/usage.ts'
import { builtinTarget, registeredBuiltinTarget } from './config/builtin-target.ts'
import { packageVersion } from './package-root.ts'
import { interruptOnSignals } from './signals.ts'
import { printError, type CliIo } from './commands/cli-io.ts'
// Types only: the run, list and other commands load their modules when used, so --help is fast.
import type { RunRequest } from './runner/run-config.ts'

type Subcommand = (argv: string[], io: CliIo) => Promise<number>

const SUBCOMMANDS = [
  'run',
  'list',
  'serve',
  'coverage',
  'faults',
  'merge',
  'doctor',
  'init',
  'fixtures',
  'fuzz',
] as const

/** Runs the CLI; resolves to the exit code (never throws). */
export async function main(argv: string[], io: CliIo = {}): Promise<number> {
  const stderr = io.stderr ?? process.stderr
  const stdout = io.stdout ?? process.stdout
  try {
    const [first, ...rest] = argv
    if (first === '--help' || first === '-h' || first === 'help') {
      stdout.write(`${MAIN_USAGE}\n`)
      return 0
    }
    if (first === '--version') {
      stdout.write(`${packageVersion()}\n`)
      return 0
    }
    if (first !== undefined && !first.startsWith('-')) {
      if (!(SUBCOMMANDS as readonly string[]).includes(first)) {
        throw new UsageError(
          `unknown command '${first}' (commands: ${SUBCOMMANDS.join(', ')}); see --help`,
        )
      }
      return await commands[first as (typeof SUBCOMMANDS)[number]](rest, io)
    }
    return await commands.run(argv, io)
  } catch (error) {
    printError(error, stderr)
    return exitCodeFor(error)
  }
}

const commands: Record<(typeof SUBCOMMANDS)[number], Subcommand> = {
  run: runCommand,
  list: async (argv, io) => (await import('./commands/list.ts')).listCommand(argv, io),
  serve: builtinCommand('serve'),
  faults: builtinCommand('faults'),
  coverage: delegate('coverage', () => import('./commands/coverage.ts'), 'coverageCommand'),
  merge: delegate('merge', () => import('../reporters/merge.ts'), 'mergeCommand'),
  doctor: delegate('doctor', () => import('./commands/doctor.ts'), 'doctorCommand'),
  init: delegate('init', () => import('./commands/init.ts'), 'initCommand'),
  fixtures: delegate('fixtures', () => import('./commands/fixtures.ts'), 'fixturesCommand'),
  fuzz: delegate('fuzz', () => import('./commands/fuzz.ts'), 'fuzzCommand'),
}

const RUN_OPTIONS = {
  ...SELECTION_FLAGS,
  reporter: { type: 'string', multiple: true },
  quiet: { type: 'boolean', short: 'q' },
  workers: { type: 'string' },
  expectations: { type: 'string' },
  seed: { type: 'string' },
  bail: { type: 'boolean' },
  timeout: { type: 'string' },
  headed: { type: 'boolean' },
  trace: { type: 'boolean' },
  'artifacts-dir': { type: 'string' },
  'login-driver': { type: 'string' },
  'no-session-reuse': { type: 'boolean' },
  fault: { type: 'string', multiple: true },
} as const satisfies ParseArgsConfig['options']

async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const help = { command: 'run', usage: RUN_USAGE, stdout: io.stdout }
  const parsed = parseCommand(argv, RUN_OPTIONS, help)
  if (!parsed) return 0
  const { values } = parsed
  const { runConfig } = await import('./runner/run-config.ts')
  const config = runConfig(runRequest(values, io))
  const { executeRun, prepareRun } = await import('./run-suite.ts')
  const prepared = await prepareRun(config)
  const { RunLedger } = await import('./runner/ledger.ts')
  const ledger = new RunLedger()
  const interrupt = interruptOnSignals({
    stderr: io.stderr ?? process.stderr,
    pending: () => ledger.entries(),
  })
  try {
    const report = await executeRun(prepared, { signal: interrupt.signal, ledger })
    return exitCodeForStatus(report.status)
  } finally {
    interrupt.dispose()
  }
}

/** The run's flags as a request; runConfig (runner/run-config.ts) checks and completes it. */
function runRequest(values: RunValues, io: CliIo): RunRequest {
  return {
    ...selectionRequest(values, io),
    workers: optionalInteger('--workers', values.workers, 1),
    timeoutMs: optionalInteger('--timeout', values.timeout, 1),
    seed: optionalInteger('--seed', values.seed, 0, 0xffff_ffff),
    bail: values.bail,
    expectations: values.expectations,
    reporters: values.reporter ?? ['console'],
    quiet: values.quiet,
    loginDriver: values['login-driver'] as RunRequest['loginDriver'],
    sessionReuse: !values['no-session-reuse'],
    headed: values.headed,
    trace: values.trace,
    ...(values['artifacts-dir'] ? { artifactsDir: values['artifacts-dir'] } : {}),
    faults: values.fault,
    stream: io.stdout,
  }
}

type RunValues = NonNullable<ReturnType<typeof parseCommand<typeof RUN_OPTIONS>>>['values']

/** `serve` and `faults` belong to the built-in target (config/builtin-target.ts). */
function builtinCommand(name: 'serve' | 'faults'): Subcommand {
  return async (argv, io) => {
    const builtin = registeredBuiltinTarget()
    if (builtin) return builtin.commands[name](argv, io)
    if (argv.includes('--help') || argv.includes('-h')) {
      ;(io.stdout ?? process.stdout).write(`${DELEGATED_USAGE[name]}\n`)
      return 0
    }
    return builtinTarget().commands[name](argv, io)
  }
}

/** A command from a module loaded when used; literal imports, so the build and readers see them. */
function delegate(name: string, load: () => Promise<object>, exportName: string): Subcommand {
  return async (argv, io) => {
    let module: Record<string, unknown>
    try {
      module = (await load()) as Record<string, unknown>
    } catch (error) {
      if (argv.includes('--help') || argv.includes('-h')) {
        ;(io.stdout ?? process.stdout).write(`${DELEGATED_USAGE[name]}\n`)
        return 0
      }
      throw new HarnessError(
        'E_INTERNAL',
        `the '${name}' command is not available: ${(error as Error).message}`,
      )
    }
    const command = module[exportName]
    if (typeof command !== 'function') {
      throw new HarnessError(
        'E_INTERNAL',
        `the '${name}' command is not available (${exportName} missing)`,
      )
    }
    return (command as (argv: string[], io: CliIo) => Promise<number>)(argv, io)
  }
}
