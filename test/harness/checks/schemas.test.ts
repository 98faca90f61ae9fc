import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { FileError } from '../../../harness/errors.ts'
import { SchemaRegistry } from '../../../harness/checks/schemas.ts'

const fixtureSchemas = new URL('../scenario/fixtures/vocab/fixtures/schemas', import.meta.url)
  .pathname
const temporary: string[] = []
afterAll(async () => {
  for (const dir of temporary) await rm(dir, { recursive: true, force: true })
})

describe('SchemaRegistry', () => {
  it('loads every schema of a folder by file name and resolves $ref by $id across files', async () => {
    const registry = await SchemaRegistry.load(fixtureSchemas)
    expect(registry.names()).toEqual(['registration-response', 'uri-list-item'])
    expect(registry.has('registration-response')).toBe(true)
    expect(registry.has('nope')).toBe(false)
    expect(
      registry.validate('registration-response', {
        client_id: 'a',
        redirect_uris: ['https://a.test/cb'],
      }),
    ).toEqual([])
    const [viaRef] = registry.validate('registration-response', {
      client_id: 'a',
      redirect_uris: ['not a uri'],
    })
    expect(viaRef?.pointer).toBe('/redirect_uris/0')
    expect(viaRef?.message).toBe('/redirect_uris/0: expected format uri, got "not a uri"')
  })

  it('reports every error with its JSON Pointer and a readable message', async () => {
    const registry = await SchemaRegistry.load(fixtureSchemas)
    const found = registry.validate('registration-response', { client_secret_expires_at: '0' })
    expect(found.map((mismatch) => mismatch.message)).toEqual([
      '/: missing required member "client_id"',
      '/client_secret_expires_at: expected type integer, got string "0"',
    ])
    expect(found[1]).toMatchObject({ pointer: '/client_secret_expires_at', actual: '0' })
    expect(
      registry
        .validate('registration-response', { client_id: '', client_secret_expires_at: -1 })
        .map((m) => m.message),
    ).toEqual([
      '/client_id: expected at least 1 characters, got ""',
      '/client_secret_expires_at: expected >= 0, got -1',
    ])
    expect(registry.validate('registration-response', []).map((m) => m.message)).toEqual([
      '/: expected type object, got array []',
    ])
  })

  it('describes enum, const, additionalProperties and pattern errors', () => {
    const registry = SchemaRegistry.fromSchemas(
      new Map([
        [
          'strict',
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              method: { enum: ['client_secret_basic', 'none'] },
              kind: { const: 'web' },
              id: { type: 'string', pattern: '^c-' },
            },
          },
        ],
      ]),
    )
    expect(
      registry
        .validate('strict', { method: 'x', kind: 'native', id: 'z', other: 1 })
        .map((m) => m.message),
    ).toEqual([
      '/: unexpected member "other"',
      '/method: expected one of "client_secret_basic", "none", got "x"',
      '/kind: expected "web", got "native"',
      '/id: expected a string matching /^c-/, got "z"',
    ])
  })

  it('is empty for a missing folder and names the place of a broken file', async () => {
    const empty = await SchemaRegistry.load('/nonexistent/schemas')
    expect(empty.names()).toEqual([])
    expect(() => empty.validate('x', {})).toThrow(/unknown schema "x"/)

    const dir = await mkdtemp(join(tmpdir(), 'schemas-'))
    temporary.push(dir)
    await writeFile(join(dir, 'broken.schema.json'), '{\n  "type": "object",\n  oops\n}\n')
    const error = await SchemaRegistry.load(dir).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(FileError)
    expect((error as FileError).location).toMatchObject({ line: 3, column: 3 })
  })

  it("compiles a schema on first use; the package's own all compile and fit the meta-schema", async () => {
    expect(() => SchemaRegistry.fromSchemas(new Map()).compileAll()).not.toThrow()
    await expect(SchemaRegistry.load()).resolves.toBeDefined()
    ;(await SchemaRegistry.load()).compileAll()
    const broken = SchemaRegistry.fromSchemas(
      new Map([
        ['fine', { type: 'object' }],
        ['bad-ref', { $ref: 'nowhere' }],
        ['bad-type', { type: 'objekt' }],
      ]),
    )
    // Loading does not compile, so one broken schema costs nothing until a check names it.
    expect(broken.validate('fine', {})).toEqual([])
    expect(() => broken.validate('bad-ref', {})).toThrow(/schema "bad-ref": .*nowhere/)
    expect(() => broken.compileAll()).toThrow(/schema "bad-ref"|schema "bad-type"/)
    const metaOnly = SchemaRegistry.fromSchemas(new Map([['bad-type', { type: 'objekt' }]]))
    expect(() => metaOnly.compileAll()).toThrow(/schema "bad-type"/)
  })
})
