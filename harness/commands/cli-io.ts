/**
 * What every command shares with the command line (harness/cli.ts): the streams and environment
 * it runs with, and how an error prints. It sits here so a command never imports the dispatcher
 * that loads it.
 */
import { FileErrors, HarnessError } from '../errors.ts'

export interface CliIo {
  stdout?: NodeJS.WritableStream
  stderr?: NodeJS.WritableStream
  cwd?: string
  env?: Record<string, string | undefined>
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
