/**
 * The command line (usage text in config/usage.ts): `run` (default), `list`, and the subcommands
 * other modules own (`serve`, `faults`, `coverage`, `merge`, ...). Each command's module loads only
 * when that command runs, so `--help` and `--version` load this file and little else.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { FileErrors, HarnessError, UsageError, exitCodeFor } from './errors.ts'
import { exitCodeForStatus } from '../reporters/summary.ts'
import { DELEGATED_USAGE, LIST_USAGE, MAIN_USAGE, RUN_USAGE } from './config/usage.ts'
import { builtinTarget, registeredBuiltinTarget } from './config/builtin-target.ts'
import { packageVersion } from './package-root.ts'
import { interruptOnSignals } from './signals.ts'
// Types only: the run, list and other commands load their modules when used, so --help is fast.
import type { RunSuiteOptions } from './run-suite.ts'

export interface CliIo {
  stdout?: NodeJS.WritableStream
  stderr?: NodeJS.WritableStream
  cwd?: string
  env?: Record<string, string | undefined>
}

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
  list: async (argv, io) => (await import('./runner/list.ts')).listCommand(argv, io),
  serve: builtinCommand('serve'),
  faults: builtinCommand('faults'),
  coverage: delegate('coverage', () => import('./coverage.ts'), 'coverageCommand'),
  merge: delegate('merge', () => import('../reporters/merge.ts'), 'mergeCommand'),
  doctor: delegate('doctor', () => import('./commands/doctor.ts'), 'doctorCommand'),
  init: delegate('init', () => import('./commands/init.ts'), 'initCommand'),
  fixtures: delegate('fixtures', () => import('./commands/fixtures.ts'), 'fixturesCommand'),
  fuzz: delegate('fuzz', () => import('./fuzz/command.ts'), 'fuzzCommand'),
}

const RUN_OPTIONS = {
  target: { type: 'string' },
  targets: { type: 'string' },
  suite: { type: 'string', multiple: true },
  grep: { type: 'string' },
  tag: { type: 'string', multiple: true },
  reporter: { type: 'string', multiple: true },
  quiet: { type: 'boolean', short: 'q' },
  workers: { type: 'string' },
  shard: { type: 'string' },
  expectations: { type: 'string' },
  seed: { type: 'string' },
  bail: { type: 'boolean' },
  timeout: { type: 'string' },
  headed: { type: 'boolean' },
  trace: { type: 'boolean' },
  'login-driver': { type: 'string' },
  'no-session-reuse': { type: 'boolean' },
  fault: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options']

async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseStrict(argv, RUN_OPTIONS, 'run')
  if (values.help) {
    ;(io.stdout ?? process.stdout).write(`${RUN_USAGE}\n`)
    return 0
  }
  const loginDriver = values['login-driver']
  if (loginDriver !== undefined && !['auto', 'browser', 'http'].includes(loginDriver)) {
    throw new UsageError(`--login-driver must be auto, browser or http (got '${loginDriver}')`)
  }
  const options: RunSuiteOptions = {
    ...(values.target !== undefined ? { target: values.target } : {}),
    ...(values.targets !== undefined ? { targetsFile: values.targets } : {}),
    ...(values.suite ? { suite: values.suite } : {}),
    ...(values.grep !== undefined ? { grep: values.grep } : {}),
    ...(values.tag ? { tags: values.tag } : {}),
    ...(values.shard !== undefined ? { shard: values.shard } : {}),
    ...(values.workers !== undefined
      ? { workers: integerOption('--workers', values.workers, 1) }
      : {}),
    ...(values.timeout !== undefined
      ? { timeoutMs: integerOption('--timeout', values.timeout, 1) }
      : {}),
    ...(values.seed !== undefined
      ? { seed: integerOption('--seed', values.seed, 0, 0xffff_ffff) }
      : {}),
    ...(values.bail ? { bail: true } : {}),
    ...(values.expectations !== undefined ? { expectations: values.expectations } : {}),
    reporters: values.reporter ?? ['console'],
    ...(values.quiet ? { quiet: true } : {}),
    ...(loginDriver ? { loginDriver: loginDriver as 'auto' | 'browser' | 'http' } : {}),
    ...(values['no-session-reuse'] ? { sessionReuse: false } : {}),
    ...(values.headed ? { headed: true } : {}),
    ...(values.trace ? { trace: true } : {}),
    ...(values.fault ? { faults: values.fault } : {}),
    ...(io.cwd ? { cwd: io.cwd } : {}),
    ...(io.env ? { env: io.env } : {}),
    ...(io.stdout ? { stream: io.stdout } : {}),
  }
  const { executeRun, prepareRun } = await import('./run-suite.ts')
  const prepared = await prepareRun(options)
  const { RunLedger } = await import('./runner/ledger.ts')
  const ledger = new RunLedger()
  const interrupt = interruptOnSignals({
    stderr: io.stderr ?? process.stderr,
    pending: () => ledger.entries(),
  })
  try {
    const report = await executeRun(prepared, { ...options, signal: interrupt.signal, ledger })
    return exitCodeForStatus(report.status)
  } finally {
    interrupt.dispose()
  }
}

type StrictParse<T extends ParseArgsConfig['options']> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: false }>
>

/** `parseArgs` with usage errors that name the command. */
export function parseStrict<T extends ParseArgsConfig['options']>(
  argv: string[],
  options: T,
  command: string,
): StrictParse<T> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false })
  } catch (error) {
    throw new UsageError(
      `${command}: ${(error as Error).message.split('\n')[0]} (see dcr-conformance ${command} --help)`,
    )
  }
}

export function integerOption(
  name: string,
  text: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const value = Number(text)
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${name} must be an integer from ${min} to ${max} (got '${text}')`)
  }
  return value
}

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

/** One line per error on stderr. */
export function printError(error: unknown, stderr: NodeJS.WritableStream): void {
  if (error instanceof FileErrors) {
    for (const fileError of error.errors) stderr.write(`error: ${fileError.message}\n`)
    return
  }
  if (error instanceof HarnessError) {
    stderr.write(
      `error: ${error.message.replace(/\n/g, ' ')}${error.code === 'E_USAGE' ? '' : ` [${error.code}]`}\n`,
    )
    return
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
  stderr.write(`error: harness fault: ${message.split('\n')[0]}\n`)
}
