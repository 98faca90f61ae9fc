import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { packagePath } from '../../../harness/package-root.ts'
import { parseLive } from '../../../harness/yaml/parse.ts'
import { cacheEntry, parseKey } from '../../../harness/yaml/parse-cache.ts'
import { treeLocator } from '../../../harness/yaml/position-tree.ts'
import type { Locate } from '../../../harness/yaml/source-map.ts'

/** Every path of a value, and beside each one a path that does not exist. */
function pathsOf(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  const paths = [path, [...path, 'no-such-member'], [...path, 99]]
  if (Array.isArray(value)) value.forEach((item, index) => paths.push(...pathsOf(item, [...path, index])))
  else if (value && typeof value === 'object') {
    for (const [key, member] of Object.entries(value)) paths.push(...pathsOf(member, [...path, key]))
  }
  return paths
}

const cachedAndLive = (text: string, merge: boolean) => {
  const { parsed, doc, lineCounter } = parseLive(text, 'f.yaml', { code: 'E_SCENARIO', merge })
  if (Array.isArray(parsed)) throw new Error(parsed[0]?.message)
  const entry = cacheEntry(doc, lineCounter, parsed.value)
  const cached = entry && treeLocator(JSON.parse(JSON.stringify(entry.tree)), entry.lineStarts, 'f.yaml')
  return { live: parsed, entry, cached }
}

const sameEverywhere = (value: unknown, live: Locate, cached: Locate) => {
  for (const path of pathsOf(value)) {
    expect(cached(path), path.join('/')).toEqual(live(path))
    expect(cached(path, { key: true }), path.join('/')).toEqual(live(path, { key: true }))
  }
}

describe('cached YAML positions', () => {
  it('locate every path of every package suite file where the live parse does', () => {
    const suites = packagePath('suites')
    const files = readdirSync(suites, { recursive: true }).map(String).filter((n) => n.endsWith('.yaml'))
    expect(files.length).toBeGreaterThan(200)
    for (const name of files) {
      const text = readFileSync(join(suites, name), 'utf8')
      const { live, entry, cached } = cachedAndLive(text, !/(requirements|capabilities)\.yaml$/.test(name))
      expect(entry, name).toBeDefined()
      expect(entry!.value).toEqual(live.value)
      sameEverywhere(live.value, live.locate, cached!)
    }
  })

  it('follow aliases, merge keys, empty values and flow collections as the live parse does', () => {
    const text = [
      'base: &base { a: 1, b: [x, y] }',
      'merged:',
      '  <<: *base',
      '  c:',
      'list:',
      '  - *base',
      '  - [1, { d: 2 }]',
      '',
    ].join('\n')
    const { live, cached } = cachedAndLive(text, true)
    sameEverywhere(live.value, live.locate, cached!)
    expect(cached!(['list', 0, 'b', 1])).toEqual(live.locate(['list', 0, 'b', 1]))
  })

  it('are not kept for a value JSON would change, and are keyed by text and options', () => {
    expect(cachedAndLive('n: .inf\n', false).entry).toBeUndefined()
    expect(parseKey('a: 1\n', true)).not.toBe(parseKey('a: 1\n', false))
    expect(parseKey('a: 1\n', true)).not.toBe(parseKey('a: 2\n', true))
  })
})
