import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { SchemaRegistry } from '../../../harness/checks/schemas.ts'
import { Ajv2020 } from 'ajv/dist/2020.js'
import {
  AJV_OPTIONS,
  loadSchemaCode,
  SCENARIO_AJV_OPTIONS,
  schemaDigest,
  writeSchemaCode,
  type SchemaText,
} from '../../../harness/checks/schema-code.ts'
import { packageRoot } from '../../../harness/package-root.ts'

const folder = join(packageRoot(), 'fixtures', 'schemas')
const files: SchemaText[] = []
for (const name of (await readdir(folder)).filter((n) => n.endsWith('.schema.json')).sort()) {
  files.push({ name: name.slice(0, -'.schema.json'.length), text: await readFile(join(folder, name), 'utf8') })
}
const scratch = await mkdtemp(join(tmpdir(), 'dcr-schema-code-'))
afterAll(() => rm(scratch, { recursive: true, force: true }))

/** Bodies that break the package's schemas in many ways (types, formats, members, refs). */
const BODIES: unknown[] = [
  {},
  [],
  'text',
  null,
  { client_id: 7, redirect_uris: ['not a uri', 3], client_id_issued_at: '1', jwks: { keys: [{}] } },
  { client_id: 'a', redirect_uris: ['https://a.test/cb'], token_endpoint_auth_method: 5 },
  { error: 'invalid_redirect_uri', error_description: 'bad', error_uri: 'nope' },
  { access_token: 'x', token_type: 'Bearer', expires_in: -1, scope: 3 },
  { issuer: 'https://a.test', authorization_endpoint: 'x', response_types_supported: [] },
  { iss: 'https://a.test', sub: '', aud: ['a'], exp: 'later', iat: 1.5 },
  { keys: [{ kty: 'RSA', n: 1 }] },
  { sub: 'a', email_verified: 'yes' },
]

describe('schemas compiled at build time (schema-code.ts)', () => {
  it('report exactly what ajv reports, for every package schema', async () => {
    const code = join(scratch, 'same.cjs')
    await writeSchemaCode(files, code)
    const compiled = await SchemaRegistry.load(folder, { compiledCode: code })
    const byAjv = await SchemaRegistry.load(folder, { compiledCode: join(scratch, 'none.cjs') })
    expect(compiled.precompiled).toBe(files.length)
    expect(byAjv.precompiled).toBe(0)
    let mismatches = 0
    for (const name of byAjv.names()) {
      for (const body of BODIES) {
        const expected = byAjv.validate(name, body)
        mismatches += expected.length
        expect(compiled.validate(name, body), `${name} ${JSON.stringify(body)}`).toEqual(expected)
      }
    }
    // The bodies do break the schemas: the comparison is not between empty lists.
    expect(mismatches).toBeGreaterThan(100)
  })

  it('are not used once a schema file differs from the one compiled', async () => {
    const code = join(scratch, 'stale.cjs')
    const edited = files.map((file, i) => (i === 0 ? { ...file, text: `${file.text} ` } : file))
    await writeSchemaCode(edited, code)
    const registry = await SchemaRegistry.load(folder, { compiledCode: code })
    expect(registry.precompiled).toBe(0)
    expect(registry.validate('registration-response', {}).length).toBeGreaterThan(0)
  })

  it('are used only for the package folder, not for a suite folder of the same names', async () => {
    const code = join(scratch, 'other.cjs')
    await writeSchemaCode(files, code)
    const other = new URL('../scenario/fixtures/vocab/fixtures/schemas', import.meta.url).pathname
    const registry = await SchemaRegistry.load(other, { compiledCode: code })
    expect(registry.precompiled).toBe(0)
  })
})

/** Scenario documents that break the scenario format in many ways. */
const SCENARIOS: unknown[] = [
  {},
  { id: 3, title: [], requirements: 'R7591-3-a', steps: {} },
  { id: 'a/b', title: 't', requirements: ['R7591-3-a'], steps: [{ id: 's', register: 5 }] },
  { id: 'a/b', title: 't', requirements: [], steps: [{ id: 's', http: { method: 'PUT' }, expect: 'x' }] },
  { id: 'a/b', title: 't', requirements: ['X'], steps: [{ token: {}, authorize: {}, unknown: 1 }] },
]

describe('the scenario schema compiled at build time', () => {
  it('reports exactly what ajv reports, verbose errors included', async () => {
    const text = await readFile(join(packageRoot(), 'harness', 'scenario', 'scenario.schema.json'), 'utf8')
    const code = join(scratch, 'scenario.cjs')
    const files = [{ name: 'scenario', text }]
    await writeSchemaCode(files, code, SCENARIO_AJV_OPTIONS)
    const compiled = loadSchemaCode(code, schemaDigest(files))?.get('scenario')
    expect(compiled).toBeTypeOf('function')
    const byAjv = new Ajv2020({ ...AJV_OPTIONS, ...SCENARIO_AJV_OPTIONS }).compile(JSON.parse(text))
    let errors = 0
    for (const doc of SCENARIOS) {
      expect(compiled?.(doc)).toBe(byAjv(doc))
      errors += byAjv.errors?.length ?? 0
      expect(compiled?.errors, JSON.stringify(doc)).toEqual(byAjv.errors)
    }
    // The documents do break the schema: the comparison is not between empty lists.
    expect(errors).toBeGreaterThan(10)
    expect(loadSchemaCode(code, schemaDigest([{ name: 'scenario', text: `${text} ` }]))).toBeUndefined()
  })
})
