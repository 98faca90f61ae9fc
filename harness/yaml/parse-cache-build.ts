/**
 * `npm run build`'s cache of the package's own YAML (parse-cache.ts): every `.yaml` file under
 * suites/, parsed as a run parses it (scenario files with merge keys, the catalogs without), into
 * dist/harness/yaml/parse-cache.json.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { packageRoot } from '../package-root.ts'
import { parseLive } from './parse.ts'
import { cacheEntry, parseKey, PARSE_CACHE_FILE, type CachedParse } from './parse-cache.ts'

/** The catalogs parse without merge keys (scenario/catalog.ts, scenario/vocabulary.ts). */
const CATALOGS = new Set(['requirements.yaml', 'capabilities.yaml'])

const suites = join(packageRoot(), 'suites')
const cache: Record<string, CachedParse> = {}
const names = (await readdir(suites, { recursive: true })).filter((name) => name.endsWith('.yaml'))
for (const name of names.sort()) {
  const text = await readFile(join(suites, name), 'utf8')
  const merge = !CATALOGS.has(name.split(/[\\/]/).at(-1) ?? '')
  const { parsed, doc, lineCounter } = parseLive(text, name, { code: 'E_SCENARIO', merge })
  if (Array.isArray(parsed)) continue
  const entry = cacheEntry(doc, lineCounter, parsed.value)
  if (entry) cache[parseKey(text, merge)] = entry
}
await writeFile(fileURLToPath(new URL(PARSE_CACHE_FILE, import.meta.url)), JSON.stringify(cache))
