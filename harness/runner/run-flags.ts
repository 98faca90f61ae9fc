/**
 * The flags `run` and `list` share (their help: TARGET and SELECTION in config/usage.ts), and
 * what they ask of the run configuration (run-config.ts).
 */
import type { RunRequest } from './run-config.ts'

export const SELECTION_FLAGS = {
  target: { type: 'string' },
  targets: { type: 'string' },
  suite: { type: 'string', multiple: true },
  grep: { type: 'string' },
  tag: { type: 'string', multiple: true },
  shard: { type: 'string' },
} as const

export interface SelectionValues {
  target?: string
  targets?: string
  suite?: string[]
  grep?: string
  tag?: string[]
  shard?: string
}

/** The target and the scenarios those flags choose, from the command's folder and environment. */
export function selectionRequest(
  values: SelectionValues,
  io: { cwd?: string; env?: Record<string, string | undefined> },
): RunRequest {
  return {
    target: values.target,
    targetsFile: values.targets,
    suite: values.suite,
    grep: values.grep,
    tags: values.tag,
    shard: values.shard,
    cwd: io.cwd,
    env: io.env,
  }
}
