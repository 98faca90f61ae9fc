/** Reading a scenario's header without a full parse, and loading only files that can match. */
import { existsSync } from 'node:fs'
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { FileErrors } from '../../../harness/errors.ts'
import { packagePath } from '../../../harness/package-root.ts'
import { expandPatterns } from '../../../harness/scenario/files.ts'
import { readHeader } from '../../../harness/scenario/header.ts'
import { loadScenarioFiles } from '../../../harness/scenario/load.ts'

const suites = fileURLToPath(new URL('../../../suites', import.meta.url))

/** Every shipped scenario's header, as `read` gives it, is the full parse's. */
async function expectEveryShippedHeader(read: typeof readHeader): Promise<void> {
  const files = await expandPatterns([suites], suites)
  expect(files.length).toBeGreaterThan(100)
  for (const { file } of files) {
    const text = await readFile(file, 'utf8')
    const full = parse(text) as { id: string; title: string; tags?: string[] }
    expect(read(text), file).toEqual({
      id: full.id,
      title: full.title,
      ...(full.tags ? { tags: full.tags } : {}),
    })
  }
}

describe('readHeader', () => {
  it('reads id, title and tags wherever they stand among the top-level keys', () => {
    const text = [
      '# a comment',
      'id: a/b',
      'description: >',
      '  two lines',
      '',
      '  of text: with a colon',
      'tags: [x, "y z"]',
      'steps:',
      '  - id: s',
      'title: "A title: quoted"',
    ].join('\n')
    expect(readHeader(text)).toEqual({ id: 'a/b', title: 'A title: quoted', tags: ['x', 'y z'] })
    expect(readHeader('id: a\ntitle: >-\n  folded\n  title\nsteps: []\n')).toEqual({
      id: 'a',
      title: 'folded title',
    })
  })

  it('gives up where only a full parse can tell', () => {
    const giveUp = [
      '---\nid: a\ntitle: t\n', // document marker
      'id: a\ntitle: t\nid: b\n', // repeated key: a full parse reports it
      'id: a\ntitle: *name\nsteps: [&name x]\n', // alias to an anchor outside the header
      '{ id: a, title: t }\n', // flow mapping at the root
      'id: a\ntitle: "two\nlines"\n', // a line at column 0 that is no key
      'id: a\ntitle: [not, a, string]\n',
      'id: a\ntitle: t\ntags: [1, 2]\n',
      'title: no id\n',
      'id: a\ntitle: t: u\n', // invalid YAML
    ]
    for (const text of giveUp) expect(readHeader(text), text).toBeUndefined()
  })

  it('reads every shipped scenario exactly as a full parse does', async () => {
    await expectEveryShippedHeader(readHeader)
  })

  it("reads them from the build's parse as exactly, in the built run", async () => {
    const built = packagePath('dist', 'harness', 'scenario', 'header.js')
    expect(existsSync(built), 'run `npm run build` first').toBe(true)
    const dist = (await import(built)) as { readHeader: typeof readHeader }
    await expectEveryShippedHeader(dist.readHeader)
    // ... and from the cache indeed: every shipped file is in it.
    const cache = packagePath('dist', 'harness', 'yaml', 'parse-cache.js')
    type ParseCache = typeof import('../../../harness/yaml/parse-cache.ts')
    const { cachedValue } = (await import(cache)) as ParseCache
    for (const { file } of await expandPatterns([suites], suites)) {
      expect(cachedValue(await readFile(file, 'utf8'), true), file).toBeDefined()
    }
  })
})

describe('loadScenarioFiles with mayMatch', () => {
  let folder = ''
  const good = 'id: good\ntitle: Good\nrequirements: [R]\nsteps:\n  - id: s\n    register: {}\n'
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'dcr-header-'))
    await mkdir(join(folder, 'suites'))
    await writeFile(join(folder, 'suites', 'good.yaml'), good)
    // Broken after its header: a selection that cannot match it does not parse it.
    await writeFile(join(folder, 'suites', 'broken.yaml'), 'id: broken\ntitle: Broken\nsteps: [\n')
  })
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  it('leaves out files whose header cannot match, unparsed', async () => {
    const loaded = await loadScenarioFiles(['suites'], {
      cwd: folder,
      mayMatch: (header) => header.id === 'good',
    })
    expect(loaded.map((scenario) => scenario.doc.id)).toEqual(['good'])
  })

  it('still locates the errors of a file that can match', async () => {
    const error = await loadScenarioFiles(['suites'], {
      cwd: folder,
      mayMatch: (header) => header.title.startsWith('Broken'),
    }).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(FileErrors)
    expect((error as FileErrors).errors[0]?.location.file).toBe('suites/broken.yaml')
  })
})
