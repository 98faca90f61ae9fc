/**
 * Error classes with stable codes. The CLI maps them to exit codes (harness/cli.ts):
 * usage/config/scenario errors exit 2 (nothing was sent), runtime errors exit 3.
 */

/** Stable error codes; tests and users may match on them. */
export type ErrorCode =
  | 'E_USAGE'
  | 'E_CONFIG'
  | 'E_SCENARIO'
  | 'E_TEMPLATE'
  | 'E_TARGET_UNREACHABLE'
  | 'E_DISCOVERY'
  | 'E_HTTP'
  | 'E_HTTP_TIMEOUT'
  | 'E_HTTP_TOO_LARGE'
  /** A request the origin policy refuses (harness/http/origin-policy.ts): nothing was sent. */
  | 'E_ORIGIN'
  | 'E_IAT'
  | 'E_BROWSER'
  | 'E_LOGIN'
  | 'E_ACTION'
  | 'E_FIXTURE'
  | 'E_INTERNAL'
  /** The run was interrupted (SIGINT, SIGTERM, SIGHUP): harness/runner/interrupt.ts. */
  | 'E_INTERRUPTED'

/** A source location in a scenario or target file (1-based line and column). */
export interface SourceLocation {
  file: string
  line: number
  column: number
}

export class HarnessError extends Error {
  readonly code: ErrorCode
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'HarnessError'
    this.code = code
  }
}

/** A bad command line. Exit 2. */
export class UsageError extends HarnessError {
  constructor(message: string) {
    super('E_USAGE', message)
    this.name = 'UsageError'
  }
}

/** A bad file (scenario, targets.yaml, expectations): names `file:line:column`. Exit 2. */
export class FileError extends HarnessError {
  readonly location: SourceLocation
  constructor(code: 'E_CONFIG' | 'E_SCENARIO', location: SourceLocation, reason: string) {
    super(code, `${location.file}:${location.line}:${location.column}: ${reason}`)
    this.name = 'FileError'
    this.location = location
  }
}

/** Several file errors found in one pass (all are reported, not just the first). */
export class FileErrors extends HarnessError {
  readonly errors: FileError[]
  constructor(errors: FileError[]) {
    super(errors[0]?.code ?? 'E_SCENARIO', errors.map((error) => error.message).join('\n'))
    this.name = 'FileErrors'
    this.errors = errors
  }
}

/**
 * An action that cannot go on because an earlier answer of the target lacks what it needs (a
 * registration response without the client_secret the client's auth method uses): not a broken
 * scenario but an unmet precondition, so the step is inconclusive (runner/step.ts), naming it.
 */
export class UnmetPreconditionError extends HarnessError {
  /** The precondition, as the check that failed is named. */
  readonly precondition: string
  constructor(precondition: string, message: string) {
    super('E_ACTION', message)
    this.name = 'UnmetPreconditionError'
    this.precondition = precondition
  }
}

/** Exit code for an error that escaped to the CLI. */
export function exitCodeFor(error: unknown): 2 | 3 {
  if (error instanceof HarnessError) {
    if (['E_USAGE', 'E_CONFIG', 'E_SCENARIO'].includes(error.code)) return 2
  }
  return 3
}
