import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { UsageError } from '../../../harness/errors.ts'
import { expandPatterns } from '../../../harness/scenario/files.ts'

const fixtures = fileURLToPath(new URL('./fixtures', import.meta.url))

/** The files a pattern set finds, relative to the fixtures folder. */
async function found(...patterns: string[]): Promise<string[]> {
  return (await expandPatterns(patterns, fixtures)).map(({ file }) =>
    file.slice(fixtures.length + 1),
  )
}

describe('expandPatterns', () => {
  it('finds each file once, skipping non-scenarios, and keeps the base folder', async () => {
    const files = await expandPatterns(
      ['vocab/suites', 'vocab/suites/iat/one-time-use.yaml', 'vocab/**/basic.yaml'],
      fixtures,
    )
    expect(
      files.map(({ file, base }) => [
        file.slice(fixtures.length + 1),
        base.slice(fixtures.length + 1),
      ]),
    ).toEqual([
      ['vocab/suites/iat/one-time-use.yaml', 'vocab/suites'],
      ['vocab/suites/registration/basic.yaml', 'vocab/suites'],
    ])
  })

  it('globs with *, **, ? and {a,b}, in path order', async () => {
    expect(await found('vocab/suites/*/*.yaml')).toEqual([
      'vocab/suites/iat/one-time-use.yaml',
      'vocab/suites/registration/basic.yaml',
    ])
    expect(await found('bad/**/unknown-*.yaml')).toEqual([
      'bad/lint/suites/lint/unknown-capability.yaml',
      'bad/lint/suites/lint/unknown-requirement.yaml',
      'bad/schema/suites/unknown-action.yaml',
      'bad/schema/suites/unknown-key.yaml',
    ])
    expect(await found('bad/duplicate/suites/dup/a.y?ml')).toEqual([
      'bad/duplicate/suites/dup/a.yaml',
    ])
    expect(await found('bad/{quirks,syntax}/suites/{m,s}*.yaml')).toEqual([
      'bad/quirks/suites/misc.yaml',
      'bad/quirks/suites/multi.yaml',
      'bad/syntax/suites/syntax.yaml',
    ])
  })

  it('a pattern that matches only non-scenarios is a usage error', async () => {
    // _shared.yaml, requirements.yaml and capabilities.yaml are not scenarios.
    await expect(found('vocab/suites/*.yaml')).rejects.toThrow(UsageError)
    await expect(found('nowhere/**/*.yaml')).rejects.toThrow('no scenario files match')
  })
})
