/** Where `--suite` patterns point: the package's own suites/ by default, or the user's paths. */
import { existsSync } from 'node:fs'
import { isAbsolute, join, resolve } from 'node:path'
import { packageRoot } from '../package-root.ts'

/** The package's own suites folder. */
export function defaultSuitesFolder(): string {
  return join(packageRoot(), 'suites')
}

/**
 * `suites/...` names the package's own groups when the working folder has no such path (the
 * README's `--suite suites/initial-access-token` from an installed package).
 */
export function packageSuitePattern(pattern: string, cwd: string): string {
  if (isAbsolute(pattern) || !/^suites([/\\]|$)/.test(pattern)) return pattern
  if (existsSync(resolve(cwd, pattern))) return pattern
  const packaged = join(packageRoot(), pattern)
  return existsSync(packaged) ? packaged : pattern
}
