import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lintScenarios, type LintVocabulary } from '../../../harness/scenario/lint.ts'
import { loadScenarioFiles } from '../../../harness/scenario/load.ts'
import { loadVocabulary } from '../../../harness/scenario/vocabulary.ts'

let dir: string
let vocab: LintVocabulary

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lint-cimd-'))
  await mkdir(join(dir, 'suites', 'mcp'), { recursive: true })
  vocab = await loadVocabulary()
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Lints one scenario file of the given steps; returns `line:col: reason` lines. */
async function lint(requires: string, steps: string): Promise<string[]> {
  const file = join(dir, 'suites', 'mcp', 'cimd-lint.yaml')
  const text = [
    'id: mcp/cimd-lint',
    'title: t',
    'requirements: [MCP-CIMD-a]',
    `requires: [${requires}]`,
    'steps:',
    steps,
    '  - id: login',
    '    authorize: { client: { client_id: "https://client.example/c" } }',
    '    expect: { subject: "${{ steps.login.redirected }}", is: false, requirement: MCP-CIMD-a }',
  ].join('\n')
  await writeFile(file, text)
  const scenarios = await loadScenarioFiles([file], { cwd: dir })
  return lintScenarios(scenarios, vocab).map((error) =>
    error.message.replace(/^.*cimd-lint\.yaml:/, ''),
  )
}

describe('lint of the cimd-document and cimd-requests fixtures', () => {
  it('accepts a document, a republished URL and the untrusted listener', async () => {
    const steps = [
      '  - id: doc',
      '    use: { fixture: cimd-document, with: { document: { redirect_uris: [] }, cache_control: no-store, pad_to: 8192 } }',
      '  - id: again',
      '    use: { fixture: cimd-document, with: { url: "${{ steps.doc.body.url }}", status: 404 } }',
      '  - id: ssrf',
      '    use: { fixture: cimd-document, with: { listener: untrusted, reset: true } }',
      '  - id: seen',
      '    use: { fixture: cimd-requests, with: { url: "${{ steps.ssrf.body.url }}" } }',
    ].join('\n')
    expect(await lint('client_id_metadata_documents', steps)).toEqual([])
  })

  it('asks for the capability, at the fixture name', async () => {
    const steps = [
      '  - id: doc',
      '    use: { fixture: cimd-document, with: { document: {} } }',
    ].join('\n')
    expect(await lint('mcp', steps)).toEqual([
      "7:21: cimd-document needs a document publisher: add client_id_metadata_documents to the scenario's requires",
    ])
  })

  it('lets a raw body (a sector identifier) run on the publisher alone, never a metadata document', async () => {
    const raw = ['  - id: sector', "    use: { fixture: cimd-document, with: { body: '[]' } }"].join('\n')
    expect(await lint('harness_https_host', raw)).toEqual([])
    expect(await lint('mcp', raw)).toEqual([
      "7:21: cimd-document needs a document publisher: add client_id_metadata_documents or harness_https_host to the scenario's requires",
    ])
    const metadata = ['  - id: doc', '    use: { fixture: cimd-document, with: { document: {} } }'].join('\n')
    expect(await lint('harness_https_host', metadata)).toHaveLength(1)
  })

  it('names unknown inputs, wrong literal values and conflicting answers where they are', async () => {
    const steps = [
      '  - id: doc',
      '    use:',
      '      fixture: cimd-document',
      '      with:',
      '        documnet: {}',
      '        status: 99',
      '        listener: trusted',
      '        url: https://client.example/c',
      '        reset: yes',
      '        redirect_to: https://client.example/d',
      '        pad_to: 0',
    ].join('\n')
    expect(await lint('client_id_metadata_documents', steps)).toEqual([
      '10:9: cimd-document reads no input "documnet" (did you mean "document"?)',
      '11:9: cimd-document: status is not used when redirect_to is given',
      '11:17: cimd-document: status must be an integer from 200 to 599',
      '12:9: cimd-document: listener makes a new URL, url republishes an earlier one: give one',
      "12:19: cimd-document: listener must be 'untrusted'",
      '14:9: cimd-document: redirect_to and reset are different answers: give one',
      '14:16: cimd-document: reset must be true',
      '16:9: cimd-document: pad_to pads the JSON document, which redirect_to replaces',
      '16:17: cimd-document: pad_to must be a positive integer (bytes)',
    ])
  })

  it('flags a status, a content type or a cache header beside a redirect or a reset', async () => {
    const steps = [
      '  - id: moved',
      '    use:',
      '      fixture: cimd-document',
      '      with: { redirect_to: https://client.example/d, status: 301, content_type: text/html }',
      '  - id: gone',
      '    use:',
      '      fixture: cimd-document',
      '      with: { reset: true, cache_control: no-store }',
    ].join('\n')
    expect(await lint('client_id_metadata_documents', steps)).toEqual([
      '9:54: cimd-document: status is not used when redirect_to is given',
      '9:67: cimd-document: content_type is not used when redirect_to is given',
      '13:28: cimd-document: cache_control is not used when reset is given',
    ])
  })
})
