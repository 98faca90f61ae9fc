import { existsSync } from 'node:fs'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { FileErrors } from '../../../harness/errors.ts'
import { loadVocabulary, repoRoot } from '../../../harness/scenario/vocabulary.ts'
import { FIXTURE_NAMES } from '../../../harness/actions/fixtures/names.ts'

const fixtures = fileURLToPath(new URL('./fixtures', import.meta.url))
const temporary: string[] = []
afterAll(async () => {
  for (const dir of temporary) await rm(dir, { recursive: true, force: true })
})

describe('repoRoot', () => {
  it('is the folder holding package.json', () => {
    expect(existsSync(join(repoRoot(), 'package.json'))).toBe(true)
    expect(existsSync(join(repoRoot(), 'harness', 'scenario', 'vocabulary.ts'))).toBe(true)
  })
})

describe('loadVocabulary', () => {
  it('reads requirements, capabilities and schema names, and knows the fixture names', async () => {
    const vocab = await loadVocabulary(join(fixtures, 'vocab'))
    expect([...vocab.requirements.keys()]).toEqual([
      'R7591-3.2.1-a',
      'R7591-3.2.1-b',
      'CUR-IAT-3',
      'R6750-3.1-a',
    ])
    expect(vocab.requirements.get('R6750-3.1-a')).toEqual({
      id: 'R6750-3.1-a',
      level: 'should',
      title: 'invalid_token in WWW-Authenticate',
    })
    expect(vocab.untested.get('R7591-5-a')).toEqual({
      id: 'R7591-5-a',
      reason: 'Not observable from outside the server',
    })
    expect(vocab.capabilities.get('rfc7592')).toBe(
      'The server implements the RFC 7592 management API',
    )
    // Fixtures are code: always the package's registry, whatever folder the suites are in.
    expect([...vocab.fixtures]).toEqual([...FIXTURE_NAMES])
    expect([...vocab.schemas]).toEqual(['registration-response', 'uri-list-item'])
  })

  it('names the place of a malformed entry', async () => {
    const root = await mkdtemp(join(tmpdir(), 'vocab-'))
    temporary.push(root)
    await mkdir(join(root, 'suites'))
    await writeFile(
      join(root, 'suites', 'requirements.yaml'),
      'tested:\n  - { id: A-1, level: must, title: a }\n  - { id: A-2, level: MUST, title: b }\n  - { id: A-1, level: may, title: c }\n',
    )
    await writeFile(join(root, 'suites', 'capabilities.yaml'), 'capabilities: [a, b]\n')
    const error = await loadVocabulary(root).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(FileErrors)
    const messages = (error as FileErrors).errors.map((item) => item.message.slice(root.length + 1))
    expect(messages).toEqual([
      'suites/requirements.yaml:3:23: requirement A-2: level must be must, should or may',
      'suites/requirements.yaml:4:11: duplicate requirement A-1',
      'suites/capabilities.yaml:1:15: expected a map "capabilities: { name: description }"',
    ])
  })
})
