/**
 * The dependency rules of docs/architecture.md, checked on the code the package ships: no import
 * cycle between files or between folders, the engine (harness/) and the reporters import nothing
 * from reference-server/ or builtin/, the reference server imports nothing from the engine, not
 * even through a module path held in a string. Each check is first shown to fail on a small
 * graph that breaks its rule.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cruiseGraph, folderCycles, SHIPPED_ROOTS, type Graph } from './support/dependency-graph.ts'
import { serverPathsInStrings } from './support/server-paths.ts'

describe('the dependency rules on a graph that breaks each of them', () => {
  let folder: string
  let graph: Graph
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'dcrc-structure-'))
    const files: Record<string, string> = {
      // A folder cycle without a file cycle: a/x -> b/y -> a/z.
      'harness/a/x.ts': "import { y } from '../b/y.ts'\nexport const x = y\n",
      'harness/b/y.ts': "import { z } from '../a/z.ts'\nexport const y = z\n",
      'harness/a/z.ts': 'export const z = 1\n',
      // A file cycle through a type-only import.
      'harness/c/p.ts': "import type { Q } from './q.ts'\nexport interface P { q?: Q }\n",
      'harness/c/q.ts': "import type { P } from './p.ts'\nexport interface Q { p?: P }\n",
      // The engine importing the server, and the server importing the engine.
      'harness/d/r.ts': "import { s } from '../../reference-server/s.ts'\nexport const r = s\n",
      'reference-server/s.ts': "import { z } from '../harness/a/z.ts'\nexport const s = z\n",
    }
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(folder, path)), { recursive: true })
      await writeFile(join(folder, path), text)
    }
    graph = await cruiseGraph(['harness', 'reference-server'], folder)
  })
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  it('reports the file cycle, type-only imports included', () => {
    // dependency-cruiser reports a cycle once, at one of its imports.
    const cycles = graph.violations.filter((violation) => violation.rule === 'no-circular')
    expect(cycles.map(({ from, to }) => [from, to].sort())).toEqual([['harness/c/p.ts', 'harness/c/q.ts']])
  })

  it('reports the engine importing the server and the server importing the engine', () => {
    const crossings = graph.violations.filter((violation) => violation.rule !== 'no-circular')
    expect(crossings).toEqual(
      expect.arrayContaining([
        { rule: 'engine-knows-no-server', from: 'harness/d/r.ts', to: 'reference-server/s.ts' },
        { rule: 'server-knows-no-engine', from: 'reference-server/s.ts', to: 'harness/a/z.ts' },
      ]),
    )
  })

  it('reports the folder cycle that no file cycle shows', () => {
    expect(folderCycles(graph.edges).map((cycle) => cycle.nodes)).toEqual([['harness/a', 'harness/b']])
  })

  it('finds a server module named in a string of the engine', () => {
    const source = [
      '// reference-server/faults.ts in a comment is fine',
      "const where = '../reference-server/faults.ts'",
      'const fine = `the reference-server faults`',
      "const glue = await import(`../builtin/${name}.ts`)",
    ].join('\n')
    expect(serverPathsInStrings('harness/x.ts', source)).toEqual([
      'harness/x.ts:2: ../reference-server/faults.ts',
      'harness/x.ts:4: ../builtin/',
    ])
  })
})

describe('the shipped code', () => {
  let graph: Graph
  beforeAll(async () => {
    graph = await cruiseGraph(SHIPPED_ROOTS)
  }, 120_000)

  it('keeps every rule of .dependency-cruiser.json', () => {
    expect(graph.edges.size).toBeGreaterThan(100)
    expect(graph.violations.map(({ rule, from, to }) => `${rule}: ${from} -> ${to}`)).toEqual([])
  })

  it('has no cycle between folders', () => {
    expect(folderCycles(graph.edges)).toEqual([])
  })

  it('names no server module in a string of the engine or the reporters', async () => {
    const found: string[] = []
    for (const file of graph.edges.keys()) {
      if (!/^(harness|reporters)\//.test(file) || !file.endsWith('.ts')) continue
      found.push(...serverPathsInStrings(file, await readFile(file, 'utf8')))
    }
    expect(found).toEqual([])
  })
})
