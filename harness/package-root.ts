/**
 * Where this package's files are, whether the code runs from the sources (`harness/...`) or from
 * the compiled build (`dist/harness/...`): data files (suites/, fixtures/, JSON schemas,
 * package.json) stay at the package root and are found from there, never relative to the code.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let cachedRoot: string | undefined

/** The folder holding this package's package.json (dist/ has none, so the build finds the root). */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot
  const start = dirname(fileURLToPath(import.meta.url))
  let folder = start
  while (!existsSync(join(folder, 'package.json'))) {
    const parent = dirname(folder)
    if (parent === folder) throw new Error(`package.json not found above ${start}`)
    folder = parent
  }
  cachedRoot = folder
  return folder
}

/** Absolute path of a file of this package, from the package root (`'suites', 'x.yaml'`). */
export function packagePath(...segments: string[]): string {
  return join(packageRoot(), ...segments)
}

let cachedVersion: string | undefined

/** This package's version (package.json); `0.0.0` when it cannot be read. */
export function packageVersion(): string {
  if (cachedVersion) return cachedVersion
  try {
    const pkg = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as {
      version?: unknown
    }
    cachedVersion = typeof pkg.version === 'string' ? pkg.version : '0.0.0'
  } catch {
    cachedVersion = '0.0.0'
  }
  return cachedVersion
}
