/**
 * Argument parsing shared by every command: `node:util` parseArgs in strict mode, with usage
 * errors (exit 2) that name the command, and integer options checked against their range.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from '../errors.ts'
import { didYouMean } from '../did-you-mean.ts'

export type ArgOptions = NonNullable<ParseArgsConfig['options']>

type Strict<T extends ArgOptions, P extends boolean> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; strict: true; allowPositionals: P }>
>

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const satisfies ArgOptions

/** A command's name and usage text, and where `-h/--help` writes the usage. */
export interface CommandHelp<P extends boolean = false> {
  command: string
  usage: string
  stdout?: NodeJS.WritableStream
  /** True for commands that take operands (`init ISSUER`, `merge REPORT...`). */
  operands?: P
}

/**
 * `parseArgs` in strict mode plus `-h/--help`: an unknown or malformed option (or an operand the
 * command does not take) is a usage error; with --help the usage is printed and the result is
 * undefined, so the command returns exit code 0 without doing anything else.
 */
export function parseCommand<T extends ArgOptions, P extends boolean = false>(
  argv: string[],
  options: T,
  help: CommandHelp<P>,
): Strict<T & typeof HELP_OPTION, P> | undefined {
  const allowPositionals = (help.operands ?? false) as P
  const all = { ...options, ...HELP_OPTION }
  let parsed: Strict<T & typeof HELP_OPTION, P>
  try {
    parsed = parseArgs({ args: argv, options: all, strict: true, allowPositionals })
  } catch (error) {
    throw usageError(error, all, help.command)
  }
  if (!(parsed.values as { help?: boolean }).help) return parsed
  ;(help.stdout ?? process.stdout).write(`${help.usage}\n`)
  return undefined
}

/** A string option limited to a few values (`--format text|json`), `fallback` when absent. */
export function choiceOption<C extends string>(
  name: string,
  text: string | undefined,
  choices: readonly C[],
  fallback: C,
): C {
  if (text === undefined) return fallback
  if ((choices as readonly string[]).includes(text)) return text as C
  const listed = `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`
  throw new UsageError(`${name} must be ${listed} (got '${text}')`)
}

function usageError(error: unknown, options: ArgOptions, command: string): UsageError {
  const lines = (error as Error).message.split('\n')
  // A bad option value (one starting with a dash: "argument is ambiguous") is explained on the
  // lines after the first, down to how to pass such a value.
  const badValue = (error as { code?: unknown }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
  const message = badValue ? lines.join(' ') : (lines[0] ?? '')
  const unknown = /Unknown option '(--?[^']+)'/.exec(message)?.[1]
  const names = Object.keys(options).map((name) => `--${name}`)
  const hint = unknown?.startsWith('--') ? didYouMean(unknown, names) : ''
  return new UsageError(`${command}: ${message}${hint} (see dcr-conformance ${command} --help)`)
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

/** integerOption for an option that may be absent. */
export function optionalInteger(
  name: string,
  text: string | undefined,
  min: number,
  max?: number,
): number | undefined {
  return text === undefined ? undefined : integerOption(name, text, min, max)
}
