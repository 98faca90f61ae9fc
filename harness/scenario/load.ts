/**
 * Load scenario files: YAML with line numbers, validated against scenario.schema.json. Every
 * error of every file is collected and thrown together as `FileErrors` (`file:line:column: reason`).
 */
import { existsSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { FileError, FileErrors, type SourceLocation } from '../errors.ts'
import type { ScenarioDoc } from '../model/scenario.ts'
import { expandPatterns } from './files.ts'
import { checkScenarioSchema } from './schema-check.ts'
import type { LocateOptions } from '../yaml/source-map.ts'
import { parseYaml } from '../yaml/parse.ts'
import { readTextOrRecord } from './read-text.ts'
import { readHeader, type ScenarioHeader } from './header.ts'

/** A scenario file, parsed and schema-valid. */
export interface LoadedScenario {
  doc: ScenarioDoc & { faults?: string[] }
  /** Absolute path. */
  file: string
  /** Relative to the loader's `cwd` (as shown in errors). */
  relativeFile: string
  /** The folder the `id` is relative to (the nearest `suites` folder, else the pattern's base). */
  suitesRoot: string
  /** The `file:line:column` of a node (`['steps', 0, 'register']`); `key` points at the key. */
  locate(path: (string | number)[], options?: LocateOptions): SourceLocation
}

export interface LoadOptions {
  /** Folder relative paths are resolved against and shown relative to (default `process.cwd()`). */
  cwd?: string
  /** The folder ids are relative to (default: the nearest `suites` folder above each file). */
  suitesRoot?: string
  /**
   * Whether a file whose header reads as given can be selected. A file answered `false` is left
   * out unparsed: its YAML, schema and lint errors are not looked for in this run (a run that can
   * select it finds them). A file whose header cannot be read for certain is always loaded.
   */
  mayMatch?: (header: ScenarioHeader) => boolean
}

/**
 * The nearest folder above `file` named `suites` or holding a `requirements.yaml` (a suite folder
 * outside the package, harness/scenario/extension.ts), else `fallback`.
 */
function nearestSuitesFolder(file: string, fallback: string): string {
  let folder = dirname(file)
  for (;;) {
    if (folder.split(sep).at(-1) === 'suites' || hasCatalog(folder)) return folder
    const parent = dirname(folder)
    if (parent === folder) return fallback
    folder = parent
  }
}

const catalogs = new Map<string, boolean>()

function hasCatalog(folder: string): boolean {
  let found = catalogs.get(folder)
  if (found === undefined) {
    found = existsSync(join(folder, 'requirements.yaml'))
    catalogs.set(folder, found)
  }
  return found
}

function yamlReason(message: string): string {
  if (message.startsWith('Source contains multiple documents')) {
    return 'a scenario file holds one YAML document; remove the second "---"'
  }
  return message
}

async function loadOne(
  file: string,
  relativeFile: string,
  suitesRoot: string,
  errors: FileError[],
  mayMatch?: (header: ScenarioHeader) => boolean,
): Promise<LoadedScenario | undefined> {
  const text = await readTextOrRecord(file, relativeFile, 'E_SCENARIO', errors)
  if (text === undefined) return undefined
  if (mayMatch) {
    const header = readHeader(text)
    if (header && !mayMatch(header)) return undefined
  }
  // `merge`: `<<: *meta` merges the anchored map (YAML 1.1 merge keys), never a "<<" member.
  const parsed = parseYaml(text, relativeFile, { code: 'E_SCENARIO', merge: true, reason: yamlReason })
  if (Array.isArray(parsed)) {
    errors.push(...parsed)
    return undefined
  }
  const { value, locate } = parsed
  if (value === null || value === undefined) {
    errors.push(
      new FileError('E_SCENARIO', { file: relativeFile, line: 1, column: 1 }, 'the file is empty'),
    )
    return undefined
  }
  const found = checkScenarioSchema(value, locate)
  if (found.length > 0) {
    errors.push(...found)
    return undefined
  }
  return {
    doc: value as ScenarioDoc & { faults?: string[] },
    file,
    relativeFile,
    suitesRoot,
    locate,
  }
}

/**
 * Load every scenario file matched by `patterns` (files, folders searched recursively for
 * `*.yaml`/`*.yml`, or globs with `*`, `**`, `?`, `{a,b}`), sorted by id. `README.md`, files
 * starting with `_`, `requirements.yaml` and `capabilities.yaml` are not scenarios.
 * Throws `FileErrors` with every YAML and schema error of every file; `UsageError` when a
 * pattern matches nothing.
 */
export async function loadScenarioFiles(
  patterns: string[],
  options: LoadOptions = {},
): Promise<LoadedScenario[]> {
  const cwd = options.cwd ?? process.cwd()
  const files = await expandPatterns(patterns, cwd)
  const errors: FileError[] = []
  const loaded = await Promise.all(
    files.map(({ file, base }) => {
      const suitesRoot = options.suitesRoot
        ? resolve(cwd, options.suitesRoot)
        : nearestSuitesFolder(file, base)
      return loadOne(file, relative(cwd, file) || file, suitesRoot, errors, options.mayMatch)
    }),
  )
  if (errors.length > 0) {
    const order = new Map(files.map(({ file }, index) => [relative(cwd, file) || file, index]))
    errors.sort(
      (a, b) =>
        (order.get(a.location.file) ?? 0) - (order.get(b.location.file) ?? 0) ||
        a.location.line - b.location.line ||
        a.location.column - b.location.column,
    )
    throw new FileErrors(errors)
  }
  return loaded
    .filter((scenario): scenario is LoadedScenario => scenario !== undefined)
    .sort((a, b) => compare(a.doc.id, b.doc.id) || compare(a.file, b.file))
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
