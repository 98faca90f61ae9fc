import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { expandPatterns, globToRegExp } from '../../../harness/scenario/files.ts'

const fixtures = fileURLToPath(new URL('./fixtures', import.meta.url))

describe('globToRegExp', () => {
  it('translates *, **, ? and {a,b}', () => {
    const glob = (pattern: string, path: string) => globToRegExp(pattern).test(path)
    expect(glob('*.yaml', 'a.yaml')).toBe(true)
    expect(glob('*.yaml', 'x/a.yaml')).toBe(false)
    expect(glob('**/*.yaml', 'a.yaml')).toBe(true)
    expect(glob('**/*.yaml', 'x/y/a.yaml')).toBe(true)
    expect(glob('x/**', 'x/y/a.yaml')).toBe(true)
    expect(glob('a?.yaml', 'ab.yaml')).toBe(true)
    expect(glob('a?.yaml', 'a/.yaml')).toBe(false)
    expect(glob('{iat,registration}/*.y?ml', 'registration/basic.yaml')).toBe(true)
    expect(glob('{iat,registration}/*.yaml', 'other/basic.yaml')).toBe(false)
    expect(glob('a.yaml', 'aXyaml')).toBe(false)
  })
})

describe('expandPatterns', () => {
  it('finds each file once, skipping non-scenarios, and keeps the base folder', async () => {
    const found = await expandPatterns(
      ['vocab/suites', 'vocab/suites/iat/one-time-use.yaml', 'vocab/**/basic.yaml'],
      fixtures,
    )
    expect(
      found.map(({ file, base }) => [
        file.slice(fixtures.length + 1),
        base.slice(fixtures.length + 1),
      ]),
    ).toEqual([
      ['vocab/suites/iat/one-time-use.yaml', 'vocab/suites'],
      ['vocab/suites/registration/basic.yaml', 'vocab/suites'],
    ])
  })
})
