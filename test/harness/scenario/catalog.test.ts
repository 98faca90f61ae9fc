import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { FileError } from '../../../harness/errors.ts'
import { readCatalog } from '../../../harness/scenario/catalog.ts'

const folders: string[] = []
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true })
})

async function catalogOf(text: string) {
  const folder = await mkdtemp(join(tmpdir(), 'catalog-'))
  folders.push(folder)
  const file = join(folder, 'requirements.yaml')
  await writeFile(file, text)
  const errors: FileError[] = []
  const catalog = await readCatalog(file, errors)
  return { catalog, errors: errors.map((error) => error.message.slice(folder.length + 1)) }
}

describe('readCatalog', () => {
  it('keeps vendor, title, level and category of the rows, in file order', async () => {
    const { catalog, errors } = await catalogOf(
      'tested:\n  - { id: V-1, level: must, vendor: acme, title: v }\n  - { id: T-1, level: may }\n' +
        'untested:\n  - { id: U-1, level: should, title: u, category: slow, reason: waits }\n',
    )
    expect(errors).toEqual([])
    expect([...catalog.requirements.values()]).toEqual([
      { id: 'V-1', level: 'must', title: 'v', vendor: 'acme' },
      { id: 'T-1', level: 'may', title: '' },
    ])
    expect([...catalog.untested.values()]).toEqual([
      { id: 'U-1', reason: 'waits', title: 'u', level: 'should', category: 'slow' },
    ])
  })

  it('locates an entry without an id, a row listed twice, a section not a list', async () => {
    const { catalog, errors } = await catalogOf(
      'tested:\n  - { level: must }\n  - { id: A-1, level: must }\n' +
        'untested:\n  - { id: A-1, reason: r }\n',
    )
    expect(errors).toEqual([
      'requirements.yaml:2:5: entry needs an "id"',
      'requirements.yaml:5:11: requirement A-1 is listed twice',
    ])
    expect([...catalog.requirements.keys()]).toEqual(['A-1'])
    const notList = await catalogOf('tested: {}\nuntested: 3\n')
    expect(notList.errors).toEqual([
      'requirements.yaml:1:9: expected a list "tested: [{ id, level, title }]"',
      'requirements.yaml:2:11: expected a list "untested: [{ id, reason }]"',
    ])
  })

  it('reports a YAML error at its place and an unreadable file', async () => {
    expect((await catalogOf('tested: [\n')).errors).toHaveLength(1)
    const errors: FileError[] = []
    await readCatalog(join(tmpdir(), 'no-such-folder-dcr', 'requirements.yaml'), errors)
    expect(errors.map((error) => error.code)).toEqual(['E_CONFIG'])
  })
})
