/**
 * Expand scenario patterns (files, folders, globs) into files. Node 20's `path.matchesGlob`
 * prints an ExperimentalWarning on first use and `fs.promises.glob` does not exist, so globs are
 * translated to regular expressions here (`*`, `**`, `?`, `{a,b}`).
 */
import { readdir, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import { UsageError } from '../errors.ts'

/** A file found for a pattern, with the folder the pattern started from. */
export interface PatternFile {
  file: string
  base: string
}

const GLOB_CHARS = /[*?{[]/
const SCENARIO_EXTENSIONS = ['.yaml', '.yml']
/** Files in suite folders that are not scenarios. */
const NOT_SCENARIOS = new Set([
  'requirements.yaml',
  'capabilities.yaml',
  'requirements.yml',
  'capabilities.yml',
])

/** Translate a glob (forward slashes) to an anchored regular expression. */
export function globToRegExp(glob: string): RegExp {
  let source = ''
  for (let at = 0; at < glob.length; at += 1) {
    const char = glob[at] as string
    if (char === '*' && glob[at + 1] === '*') {
      const slash = glob[at + 2] === '/'
      source += slash ? '(?:.*/)?' : '.*'
      at += slash ? 2 : 1
    } else if (char === '*') source += '[^/]*'
    else if (char === '?') source += '[^/]'
    else if (char === '{') {
      const end = glob.indexOf('}', at)
      if (end < 0) source += '\\{'
      else {
        const options = glob.slice(at + 1, end).split(',')
        source += `(?:${options
          .map((option) =>
            option
              .replace(/[.+^$()|[\]\\]/g, '\\$&')
              .replaceAll('*', '[^/]*')
              .replaceAll('?', '[^/]'),
          )
          .join('|')})`
        at = end
      }
    } else source += char.replace(/[.+^$()|[\]\\}]/g, '\\$&')
  }
  return new RegExp(`^${source}$`)
}

function isScenarioFile(name: string): boolean {
  return (
    SCENARIO_EXTENSIONS.some((extension) => name.endsWith(extension)) &&
    !name.startsWith('_') &&
    !name.startsWith('.') &&
    !NOT_SCENARIOS.has(name)
  )
}

async function walk(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true })
  const files: string[] = []
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
    const path = join(folder, entry.name)
    if (entry.isDirectory()) files.push(...(await walk(path)))
    else if (entry.isFile() && isScenarioFile(entry.name)) files.push(path)
  }
  return files
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
    else if (kind === 'folder') for (const file of await walk(absolute)) add(file, absolute)
    else if (GLOB_CHARS.test(pattern)) {
      const slashed = absolute.split(sep).join('/')
      const segments = slashed.split('/')
      const firstGlob = segments.findIndex((segment) => GLOB_CHARS.test(segment))
      const base = segments.slice(0, firstGlob).join('/') || '/'
      const matcher = globToRegExp(segments.slice(firstGlob).join('/'))
      if ((await kindOf(base)) === 'folder') {
        for (const file of await walk(base)) {
          if (matcher.test(relative(base, file).split(sep).join('/'))) add(file, base)
        }
      }
    }
    if (matched === 0) {
      throw new UsageError(`no scenario files match "${pattern}"`)
    }
  }
  return found
}
