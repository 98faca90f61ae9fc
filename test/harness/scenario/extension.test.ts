import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileErrors } from '../../../harness/errors.ts'
import { packagePath } from '../../../harness/package-root.ts'
import { extendedVocabulary, suiteFixtures } from '../../../harness/scenario/extension.ts'
import { loadVocabulary } from '../../../harness/scenario/vocabulary.ts'

async function suite(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'dcrc-ext-'))
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true })
    await writeFile(join(root, path), text)
  }
  return root
}

describe('extendedVocabulary', () => {
  it("adds a suite folder's requirements, capabilities, fixtures and schemas to the package's", async () => {
    const own = await loadVocabulary()
    const root = await suite({
      'requirements.yaml': 'tested:\n  - { id: X-1, level: should, title: "Mine" }\nuntested:\n  - { id: X-2, reason: later }\n',
      'capabilities.yaml': 'capabilities:\n  x_feature: Mine.\n',
      'fixtures/x-data.mjs': 'export const fixture = {}\n',
      'fixtures/notes.txt': 'not a fixture\n',
      'schemas/x-body.schema.json': '{}\n',
    })
    const merged = await extendedVocabulary([root, packagePath('suites')], own)
    expect(merged.requirements.get('X-1')).toEqual({ id: 'X-1', level: 'should', title: 'Mine' })
    expect(merged.requirements.size).toBe(own.requirements.size + 1)
    expect(merged.untested.has('X-2')).toBe(true)
    expect(merged.capabilities.get('x_feature')).toBe('Mine.')
    expect(merged.capabilities.has('oidc')).toBe(true)
    expect(merged.fixtures.has('x-data') && merged.fixtures.has('clock')).toBe(true)
    expect(merged.fixtureFiles).toEqual(new Map([['x-data', join(root, 'fixtures', 'x-data.mjs')]]))
    expect(merged.schemas.has('x-body')).toBe(true)
    expect(merged.schemaFolders).toEqual([packagePath('fixtures', 'schemas'), join(root, 'schemas')])
  })

  it('accepts a built-in row repeated unchanged, refuses one changed and a taken fixture name', async () => {
    const own = await loadVocabulary()
    const [id, row] = [...own.requirements][0]!
    const same = await suite({
      'requirements.yaml': `tested:\n  - { id: ${id}, level: ${row.level}, title: ${JSON.stringify(row.title)} }\n`,
    })
    await expect(extendedVocabulary([same], own)).resolves.toBeDefined()
    const changed = await suite({
      'requirements.yaml': `tested:\n  - { id: ${id}, level: may, title: "Other" }\n`,
      'fixtures/clock.mjs': 'export const fixture = {}\n',
    })
    const error = await extendedVocabulary([changed], own).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(FileErrors)
    expect((error as FileErrors).errors.map((e) => e.message)).toEqual([
      `${join(changed, 'requirements.yaml')}:1:1: requirement ${id} is already in the catalog with another level or title; give yours another id`,
      `${join(changed, 'fixtures/clock')}:1:1: fixture name "clock" is already taken`,
    ])
  })

  it('needs no file at all: a folder without requirements.yaml extends nothing', async () => {
    const own = await loadVocabulary()
    const merged = await extendedVocabulary([await suite({ 'a/b.yaml': 'id: a/b\n' })], own)
    expect(merged.requirements.size).toBe(own.requirements.size)
    expect(merged.schemaFolders).toHaveLength(1)
  })
})

describe('suiteFixtures', () => {
  it('finds .mjs, .js and .ts modules by name, nothing else', async () => {
    const root = await suite({
      'fixtures/a.mjs': '',
      'fixtures/b.js': '',
      'fixtures/c.ts': '',
      'fixtures/d.d.ts': '',
      'fixtures/Bad_Name.js': '',
      'fixtures/e.json': '',
    })
    expect([...(await suiteFixtures(root)).keys()]).toEqual(['a', 'b', 'c'])
  })
})
