/**
 * Parses of the package's own YAML files made at build time: `npm run build` writes
 * dist/harness/yaml/parse-cache.json (parse-cache-build.ts), and a run takes a file's value and
 * positions from it instead of parsing, which for the whole suite is the biggest part of a run's
 * start (bench/README.md). An entry is found by a digest of the file's text and the parse
 * options, so an edited file, or a file of the user's, is parsed as always. Only files that parse
 * without an error and whose value survives JSON unchanged are cached.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { isDeepStrictEqual } from 'node:util'
import type { Document, LineCounter } from 'yaml'
import { positionTree, treeLocator, type PositionNode } from './position-tree.ts'
import type { Locate } from './source-map.ts'

/** The cache file, next to the compiled parse-cache.js. */
export const PARSE_CACHE_FILE = 'parse-cache.json'

export interface CachedParse {
  value: unknown
  tree: PositionNode
  lineStarts: number[]
}

type Cache = Record<string, CachedParse>

/**
 * What a cached parse depends on besides the text: the YAML library's version and this
 * module's parse rules (raise PARSE_RULES when parse.ts starts reading a text differently).
 */
const PARSE_RULES = 1
const yamlVersion = (createRequire(import.meta.url)('yaml/package.json') as { version: string }).version

/** The key of a text parsed with these options. */
export function parseKey(text: string, merge: boolean): string {
  const rules = `${PARSE_RULES}\0${yamlVersion}\0${merge ? 1 : 0}`
  return createHash('sha256').update(`${rules}\0${text}`).digest('base64url')
}

/** A live parse as a cache entry; undefined when it cannot be one. */
export function cacheEntry(doc: Document, lineCounter: LineCounter, value: unknown): CachedParse | undefined {
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(value ?? null)), value ?? null)) return undefined
  const tree = positionTree(doc)
  return tree ? { value, tree, lineStarts: [...lineCounter.lineStarts] } : undefined
}

let cache: Cache | undefined

function loadCache(): Cache {
  if (cache) return cache
  try {
    cache = JSON.parse(readFileSync(new URL(PARSE_CACHE_FILE, import.meta.url), 'utf8')) as Cache
  } catch {
    cache = {} // no build (tests from the sources, a plain tsc build): every file is parsed
  }
  return cache
}

const entryOf = (text: string, merge: boolean): CachedParse | undefined =>
  loadCache()[parseKey(text, merge)]

/**
 * The cached value of `text` itself, not a copy (read it, never change it); undefined when the
 * text is not cached. For a look at a few members of many files (scenario/header.ts).
 */
export function cachedValue(text: string, merge: boolean): { value: unknown } | undefined {
  const entry = entryOf(text, merge)
  return entry ? { value: entry.value } : undefined
}

/** The cached parse of `text`, as parse.ts returns it; undefined when it is not cached. */
export function cachedParse(
  text: string,
  file: string,
  merge: boolean,
): { value: unknown; locate: Locate } | undefined {
  const entry = entryOf(text, merge)
  if (!entry) return undefined
  // A copy: callers may change the value they get, and the next run of this text must not see it.
  return { value: structuredClone(entry.value), locate: treeLocator(entry.tree, entry.lineStarts, file) }
}
