/**
 * bin/dcr-conformance.js runs the compiled dist/; a source newer than its build would be measured
 * as it was, not as it is. The bench names such files instead of timing the wrong code.
 */
import { readdir, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { root } from './processes.ts'

const BUILT_FOLDERS = ['harness', 'builtin', 'reference-server', 'reporters']

async function sources(folder: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name)
    if (entry.isDirectory()) found.push(...(await sources(path)))
    else if (/(?<!\.d|\.test)\.ts$/.test(entry.name)) found.push(path)
  }
  return found
}

/** Sources whose dist/ file is missing or older than they are. */
export async function staleBuild(): Promise<string[]> {
  const stale: string[] = []
  for (const folder of BUILT_FOLDERS) {
    for (const source of await sources(join(root, folder))) {
      const built = join(root, 'dist', relative(root, source).replace(/\.ts$/, '.js'))
      const [a, b] = await Promise.all([stat(source), stat(built).catch(() => undefined)])
      if (!b || b.mtimeMs < a.mtimeMs) stale.push(relative(root, source))
    }
  }
  if (await schemaCodeStale()) stale.push('fixtures/schemas (their compiled code)')
  if (await parseCacheStale()) stale.push('suites/ (their build-time parse, harness/yaml/parse-cache.ts)')
  return stale
}

/**
 * The suites parsed by `npm run build` (harness/yaml/parse-cache.ts): a file changed since is
 * parsed at run time, which the bench would time instead.
 */
const parseCacheStale = () => builtBefore(['dist', 'harness', 'yaml', 'parse-cache.json'], ['suites'])

/**
 * The response schemas compiled by `npm run build` (harness/checks/schema-code.ts): a run without
 * them, or with ones older than a schema, compiles with ajv at run time, which the bench would
 * time instead.
 */
const schemaCodeStale = () =>
  builtBefore(['dist', 'harness', 'checks', 'schema-code.cjs'], ['fixtures', 'schemas'])

/** Whether a built file is missing or older than a file below the `source` folder. */
async function builtBefore(built: string[], source: string[]): Promise<boolean> {
  const output = await stat(join(root, ...built)).catch(() => undefined)
  if (!output) return true
  const folder = join(root, ...source)
  for (const name of await readdir(folder, { recursive: true })) {
    if ((await stat(join(folder, name))).mtimeMs > output.mtimeMs) return true
  }
  return false
}
