/**
 * Expand scenario patterns (files, folders, globs) into files. Node 20 has no `fs.promises.glob`
 * (and `path.matchesGlob` warns as experimental), so globs go to tinyglobby.
 */
import { stat } from 'node:fs/promises'
import { isAbsolute, join, resolve, sep } from 'node:path'
import { glob, isDynamicPattern } from 'tinyglobby'
import { UsageError } from '../errors.ts'

/** A file found for a pattern, with the folder the pattern started from. */
export interface PatternFile {
  file: string
  base: string
}

const SCENARIO_EXTENSIONS = ['.yaml', '.yml']
/** Files in suite folders that are not scenarios. */
const NOT_SCENARIOS = new Set([
  'requirements.yaml',
  'capabilities.yaml',
  'requirements.yml',
  'capabilities.yml',
])

function isScenarioFile(name: string): boolean {
  return (
    SCENARIO_EXTENSIONS.some((extension) => name.endsWith(extension)) &&
    !name.startsWith('_') &&
    !NOT_SCENARIOS.has(name)
  )
}

/** Path order: folder by folder, by name, as a reader walks the tree. */
function byPath(a: string, b: string): number {
  const left = a.split('/')
  const right = b.split('/')
  for (let at = 0; at < Math.min(left.length, right.length); at += 1) {
    const [x, y] = [left[at] as string, right[at] as string]
    if (x !== y) return x < y ? -1 : 1
  }
  return left.length - right.length
}

/**
 * The scenario files under `base` that `pattern` (relative to it) matches. Dot files and folders,
 * `node_modules` and links are passed over.
 */
async function scenarioFiles(base: string, pattern: string): Promise<string[]> {
  const found = await glob(pattern, {
    cwd: base,
    onlyFiles: true,
    expandDirectories: false,
    followSymbolicLinks: false,
    ignore: ['**/node_modules/**'],
  })
  return found
    .filter((file) => isScenarioFile(file.slice(file.lastIndexOf('/') + 1)))
    .sort(byPath)
    .map((file) => join(base, file))
}

async function kindOf(path: string): Promise<'file' | 'folder' | undefined> {
  try {
    const info = await stat(path)
    return info.isDirectory() ? 'folder' : info.isFile() ? 'file' : undefined
  } catch {
    return undefined
  }
}

/**
 * The scenario files of every pattern, each once, in pattern order then path order. A pattern
 * that matches nothing is a usage error.
 */
export async function expandPatterns(patterns: string[], cwd: string): Promise<PatternFile[]> {
  const seen = new Set<string>()
  const found: PatternFile[] = []
  let matched = 0
  const add = (file: string, base: string) => {
    matched += 1
    if (seen.has(file)) return
    seen.add(file)
    found.push({ file, base })
  }
  for (const pattern of patterns) {
    const absolute = isAbsolute(pattern) ? pattern : resolve(cwd, pattern)
    matched = 0
    const kind = await kindOf(absolute)
    if (kind === 'file') add(absolute, resolve(absolute, '..'))
    else if (kind === 'folder') {
      for (const file of await scenarioFiles(absolute, '**')) add(file, absolute)
    } else if (isDynamicPattern(pattern)) {
      const segments = absolute.split(sep).join('/').split('/')
      const firstGlob = segments.findIndex((segment) => isDynamicPattern(segment))
      const base = segments.slice(0, firstGlob).join('/') || '/'
      if ((await kindOf(base)) === 'folder') {
        const rest = segments.slice(firstGlob).join('/')
        for (const file of await scenarioFiles(base, rest)) add(file, base)
      }
    }
    if (matched === 0) {
      throw new UsageError(`no scenario files match "${pattern}"`)
    }
  }
  return found
}
