import { describe, expect, it } from 'vitest'
import type { FileError } from '../../../harness/errors.ts'
import { parseYaml, type YamlSource } from '../../../harness/yaml/parse.ts'

function errorsOf(result: YamlSource | FileError[]): string[] {
  if (!Array.isArray(result)) throw new Error('expected errors')
  return result.map((error) => `${error.code} ${error.message}`)
}

describe('parseYaml', () => {
  it('gives the value and locates nodes, falling back to the deepest existing one', () => {
    const result = parseYaml('a:\n  b: [1, 2]\n  c: x\n', 'f.yaml', { code: 'E_CONFIG' })
    if (Array.isArray(result)) throw new Error('expected a document')
    expect(result.value).toEqual({ a: { b: [1, 2], c: 'x' } })
    expect(result.locate(['a', 'b', 1])).toEqual({ file: 'f.yaml', line: 2, column: 10 })
    expect(result.locate(['a', 'c', 'missing'])).toEqual({ file: 'f.yaml', line: 3, column: 6 })
  })

  it('locates syntax errors and duplicate keys, with the first line of the message only', () => {
    const result = parseYaml('a: 1\na: 2\n', 'f.yaml', { code: 'E_SCENARIO' })
    expect(errorsOf(result)).toEqual(['E_SCENARIO f.yaml:2:1: Map keys must be unique'])
  })

  it('rewords messages with the caller-given reason', () => {
    const result = parseYaml('a: [1\n', 'f.yaml', { code: 'E_CONFIG', reason: (m) => `YAML: ${m}` })
    const errors = errorsOf(result)
    expect(errors.length).toBeGreaterThan(0)
    for (const error of errors) expect(error).toMatch(/^E_CONFIG f\.yaml:\d+:\d+: YAML: /)
  })

  it('merges `<<` keys only when asked', () => {
    const text = 'base: &b { x: 1 }\nuse: { <<: *b, y: 2 }\n'
    const merged = parseYaml(text, 'f.yaml', { code: 'E_SCENARIO', merge: true })
    const plain = parseYaml(text, 'f.yaml', { code: 'E_CONFIG' })
    expect((merged as YamlSource).value).toMatchObject({ use: { x: 1, y: 2 } })
    expect((plain as YamlSource).value).toMatchObject({ use: { '<<': { x: 1 }, y: 2 } })
  })

  it('refuses an alias bomb as a located error instead of expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let level = 1; level < 5; level += 1) {
      const previous = String.fromCharCode(96 + level)
      const name = String.fromCharCode(97 + level)
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`)
    }
    const errors = errorsOf(parseYaml(`${levels.join('\n')}\n`, 'f.yaml', { code: 'E_CONFIG' }))
    expect(errors).toEqual([expect.stringMatching(/^E_CONFIG f\.yaml:1:1: .*alias/i)])
  })
})
