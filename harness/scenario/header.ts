/**
 * A scenario's header (`id`, `title`, `tags`) read without parsing the whole file: enough to tell
 * whether it can match `--grep` or `--tag`, so a run selecting a few scenarios does not parse,
 * validate and lint the other files (YAML parsing is most of the loading time). When the header
 * cannot be read this way for certain, the answer is undefined and the file is loaded in full.
 */
import { parse } from 'yaml'
import { cachedValue } from '../yaml/parse-cache.ts'

export interface ScenarioHeader {
  id: string
  title: string
  tags?: string[]
}

/** A top-level key of a block mapping at column 0 (`id: ...`, `tags:`). */
const TOP_LEVEL_KEY = /^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)/
const HEADER_KEYS = new Set(['id', 'title', 'tags'])

/**
 * The text of each top-level entry, keyed by name; undefined when the root is not a plain block
 * mapping (document markers, directives, flow or complex keys) or a key repeats.
 */
function topLevelBlocks(text: string): Map<string, string[]> | undefined {
  const blocks = new Map<string, string[]>()
  let current: string[] | undefined
  for (const line of text.split(/\r?\n/)) {
    const first = line[0]
    if (first === undefined || first === ' ' || first === '\t' || first === '#') {
      current?.push(line)
      continue
    }
    const key = TOP_LEVEL_KEY.exec(line)?.[1]
    if (key === undefined || blocks.has(key)) return undefined
    current = [line]
    blocks.set(key, current)
  }
  return blocks
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}

/** The header members of a parsed value; undefined when one is missing or of another type. */
function headerOf(value: unknown): ScenarioHeader | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const { id, title, tags } = value as Record<string, unknown>
  if (typeof id !== 'string' || typeof title !== 'string') return undefined
  if (tags !== undefined && !isStringList(tags)) return undefined
  // A copy: the value may be the build cache's own (yaml/parse-cache.ts cachedValue).
  return { id, title, ...(tags !== undefined ? { tags: [...tags] } : {}) }
}

/**
 * The header of a scenario file's text, exactly as a full parse would give it, or undefined when
 * that is not certain (the caller then parses the file in full and reports any error). A file of
 * the package, unchanged since the build, is read from the build's parse (yaml/parse-cache.ts):
 * parsing the headers of every shipped file took about 80 ms of a one-scenario run's start.
 */
export function readHeader(text: string): ScenarioHeader | undefined {
  // The options scenario/load.ts parses a scenario with (merge keys on).
  const cached = cachedValue(text, true)
  if (cached) return headerOf(cached.value)
  const blocks = topLevelBlocks(text)
  if (!blocks) return undefined
  const source = [...HEADER_KEYS].flatMap((key) => blocks.get(key) ?? []).join('\n')
  try {
    // An alias to an anchor outside these lines fails here, and the file is parsed in full.
    return headerOf(parse(source, { uniqueKeys: true, maxAliasCount: 100 }))
  } catch {
    return undefined
  }
}
