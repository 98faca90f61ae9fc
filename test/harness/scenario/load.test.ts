import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { FileErrors, UsageError } from '../../../harness/errors.ts'
import { loadScenarioFiles } from '../../../harness/scenario/load.ts'

const fixtures = fileURLToPath(new URL('./fixtures', import.meta.url))

async function loadErrors(patterns: string[]): Promise<string[]> {
  const error = await loadScenarioFiles(patterns, { cwd: fixtures }).catch(
    (caught: unknown) => caught,
  )
  if (!(error instanceof FileErrors)) throw new Error(`expected FileErrors, got ${String(error)}`)
  expect(error.code).toBe('E_SCENARIO')
  expect(error.message).toBe(error.errors.map((item) => item.message).join('\n'))
  return error.errors.map((item) => item.message)
}

describe('loadScenarioFiles', () => {
  it('loads a folder recursively, sorted by id, skipping files that are not scenarios', async () => {
    const loaded = await loadScenarioFiles(['vocab/suites'], { cwd: fixtures })
    expect(loaded.map((scenario) => scenario.doc.id)).toEqual([
      'iat/one-time-use',
      'registration/basic',
    ])
    const [first] = loaded
    expect(first?.relativeFile).toBe('vocab/suites/iat/one-time-use.yaml')
    expect(first?.file).toBe(`${fixtures}/vocab/suites/iat/one-time-use.yaml`)
    expect(first?.suitesRoot).toBe(`${fixtures}/vocab/suites`)
    expect(first?.doc.faults).toEqual(['iat-reusable'])
    expect(first?.doc.steps[1]?.register?.token).toBe('${{ steps.iat.access_token }}')
  })

  it('maps any path of the document to file:line:column', async () => {
    const [scenario] = await loadScenarioFiles(['vocab/suites/iat/one-time-use.yaml'], {
      cwd: fixtures,
    })
    const file = 'vocab/suites/iat/one-time-use.yaml'
    expect(scenario?.locate([])).toEqual({ file, line: 2, column: 1 })
    expect(scenario?.locate(['steps', 1, 'register', 'token'])).toEqual({
      file,
      line: 13,
      column: 14,
    })
    expect(
      scenario?.locate(['steps', 2, 'expect', 2, 'headers', 'www-authenticate', '$match']),
    ).toEqual({
      file,
      line: 25,
      column: 48,
    })
    expect(scenario?.locate(['steps', 1, 'register'], { key: true })).toEqual({
      file,
      line: 12,
      column: 5,
    })
    // A path beyond the document resolves to its deepest existing node.
    expect(scenario?.locate(['steps', 0, 'token', 'nothing', 'here'])).toEqual({
      file,
      line: 10,
      column: 12,
    })
  })

  it('accepts globs with *, ** and ?', async () => {
    const byGlob = async (pattern: string) =>
      (await loadScenarioFiles([pattern], { cwd: fixtures })).map((scenario) => scenario.doc.id)
    expect(await byGlob('vocab/suites/**/*.yaml')).toEqual([
      'iat/one-time-use',
      'registration/basic',
    ])
    expect(await byGlob('vocab/suites/*/basic.y?ml')).toEqual(['registration/basic'])
    expect(await byGlob('vocab/**/one-*.yaml')).toEqual(['iat/one-time-use'])
  })

  it('reports a pattern that matches nothing as a usage error', async () => {
    await expect(
      loadScenarioFiles(['vocab/suites/nothing/**/*.yaml'], { cwd: fixtures }),
    ).rejects.toThrow(UsageError)
    await expect(loadScenarioFiles(['no-such-file.yaml'], { cwd: fixtures })).rejects.toThrow(
      'no scenario files match "no-such-file.yaml"',
    )
  })

  it('reports a YAML syntax error at the line and column yaml gives', async () => {
    expect(await loadErrors(['bad/syntax'])).toEqual([
      'bad/syntax/suites/syntax.yaml:4:1: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ])
  })

  it('reports an unknown action at its key, with a suggestion', async () => {
    expect(await loadErrors(['bad/schema/suites/unknown-action.yaml'])).toEqual([
      'bad/schema/suites/unknown-action.yaml:6:5: unknown action "regster" in step "first" (did you mean "register"?)',
    ])
  })

  it('reports an unknown key at its key', async () => {
    expect(await loadErrors(['bad/schema/suites/unknown-key.yaml'])).toEqual([
      'bad/schema/suites/unknown-key.yaml:7:5: unknown key "expct" in step "first" (did you mean "expect"?)',
    ])
  })

  it('reports steps with two actions and with none', async () => {
    expect(await loadErrors(['bad/schema/suites/two-actions.yaml'])).toEqual([
      'bad/schema/suites/two-actions.yaml:7:5: step "both" has two actions: register, http',
      'bad/schema/suites/two-actions.yaml:8:5: step "none" has no action (one of token, register, http, authorize, parallel, use)',
    ])
  })

  it('collects the errors of every file before throwing', async () => {
    const errors = await loadErrors(['bad/schema', 'bad/syntax', 'vocab/suites'])
    expect(errors.map((message) => message.split(':').slice(0, 3).join(':'))).toEqual([
      'bad/schema/suites/two-actions.yaml:7:5',
      'bad/schema/suites/two-actions.yaml:8:5',
      'bad/schema/suites/unknown-action.yaml:6:5',
      'bad/schema/suites/unknown-key.yaml:7:5',
      'bad/syntax/suites/syntax.yaml:4:1',
    ])
  })

  it('explains empty files, wrong shapes, several documents and wrong types', async () => {
    const file = (name: string) => `bad/quirks/suites/${name}.yaml`
    expect(await loadErrors(['bad/quirks'])).toEqual([
      `${file('empty')}:1:1: the file is empty`,
      `${file('list')}:1:1: scenario must be a mapping`,
      `${file('misc')}:5:51: "subject" needs "is" in expectation of step "a"`,
      `${file('misc')}:6:50: parallel in step "b" has two requests: register, http`,
      `${file('misc')}:7:27: http.url in step "c" must be a string`,
      `${file('misc')}:7:45: http.auth.basic in step "c" needs at least 2 items`,
      `${file('misc')}:7:79: expect[1] in step "c" must be a mapping`,
      `${file('misc')}:8:32: token.purpose in step "d" must be one of "initial-access-token", "token-without-registration-scope"`,
      `${file('misc')}:8:48: level in step "d" must be one of "must", "should", "may"`,
      `${file('multi')}:2:1: a scenario file holds one YAML document; remove the second "---"`,
      `${file('types')}:1:5: id must be a string`,
      `${file('types')}:2:8: title must not be empty`,
      `${file('types')}:3:15: requirements needs at least 1 item`,
      `${file('types')}:4:8: steps needs at least 1 item`,
      `${file('types')}:5:10: timeout must be >= 1`,
      `${file('types')}:6:14: description must be a string`,
      `${file('types')}:7:8: tags[0] must be a string`,
    ])
  })
})

describe('scenario.schema.json', () => {
  it('is a valid draft 2020-12 schema that editors can use', async () => {
    const { Ajv2020 } = await import('ajv/dist/2020.js')
    const schema = JSON.parse(
      await readFile(
        new URL('../../../harness/scenario/scenario.schema.json', import.meta.url),
        'utf8',
      ),
    ) as object
    const ajv = new Ajv2020({ strict: false })
    expect(ajv.validateSchema(schema)).toBe(true)
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      additionalProperties: false,
    })
  })
})
