/**
 * The built-in `reference` target, as the engine sees it: something outside harness/ registers
 * it (builtin/register.ts, loaded by bin/dcr-conformance.js and by the tests), so the engine
 * knows no server (DESIGN §3). Without a registration, naming the built-in target is a usage
 * error.
 */
import { UsageError } from '../errors.ts'
import type { TargetConfig } from '../types.ts'

/** A started built-in target: its targets.yaml-style description and how to stop it. */
export interface StartedBuiltinTarget {
  target: TargetConfig
  close(): Promise<void>
}

/** The CLI commands a built-in target adds (`serve`, `faults`), in the engine's command shape. */
export type BuiltinCommand = (
  argv: string[],
  io: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream },
) => Promise<number>

export interface BuiltinTarget {
  /** Starts it with faults (rules it breaks) and policy overrides. */
  start(options: { faults?: string[]; config?: Record<string, unknown> }): Promise<StartedBuiltinTarget>
  /** The names of its faults (scenarios' `faults:` are linted against them). */
  faultNames(): Promise<ReadonlySet<string>>
  commands: { serve: BuiltinCommand; faults: BuiltinCommand }
}

let registered: BuiltinTarget | undefined

/** Makes `target` the built-in target of this process. */
export function registerBuiltinTarget(target: BuiltinTarget): void {
  registered = target
}

/** The registered built-in target, if any (fault names are optional for linting). */
export function registeredBuiltinTarget(): BuiltinTarget | undefined {
  return registered
}

/** The registered built-in target; a usage error (exit 2) when none is. */
export function builtinTarget(): BuiltinTarget {
  if (!registered) {
    throw new UsageError(
      'the built-in reference target is not available in this process: name a target from targets.yaml or an issuer URL',
    )
  }
  return registered
}
