import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prepareSuite } from '../../../harness/runner/prepare.ts'
import { runConfig } from '../../../harness/runner/run-config.ts'
import { packageSuitePattern } from '../../../harness/runner/suite-patterns.ts'
import { packageRoot } from '../../../harness/package-root.ts'

describe('--suite suites/... outside the package', () => {
  let empty: string
  let own: string
  beforeAll(async () => {
    empty = await mkdtemp(join(tmpdir(), 'dcrc-suite-'))
    own = await mkdtemp(join(tmpdir(), 'dcrc-suite-'))
    await mkdir(join(own, 'suites', 'registration'), { recursive: true })
  })
  afterAll(async () => {
    await rm(empty, { recursive: true, force: true })
    await rm(own, { recursive: true, force: true })
  })

  it("names the package's group when the working folder has no such path", async () => {
    const pattern = 'suites/initial-access-token'
    expect(packageSuitePattern(pattern, empty)).toBe(join(packageRoot(), pattern))
    const suite = await prepareSuite(runConfig({ suite: [pattern], cwd: empty }))
    expect(suite.planned.length).toBeGreaterThan(5)
    expect(suite.planned.every((s) => s.doc.id.startsWith('initial-access-token/'))).toBe(true)
  })

  it("keeps the user's own folder, other paths and unknown groups as they are", () => {
    expect(packageSuitePattern('suites/registration', own)).toBe('suites/registration')
    expect(packageSuitePattern('./acme-suite', empty)).toBe('./acme-suite')
    expect(packageSuitePattern('suites/no-such-group', empty)).toBe('suites/no-such-group')
  })
})

describe('a selection that matches no scenario', () => {
  const suite = [join(packageRoot(), 'suites', 'errors')]
  const cwd = packageRoot()

  it('is a usage error naming the selection: a run of nothing never passes', async () => {
    const grep = prepareSuite(runConfig({ suite, cwd, grep: 'zzz-no-such' }))
    await expect(grep).rejects.toMatchObject({
      code: 'E_USAGE',
      message: 'no scenario matches the selection (--suite suites/errors --grep "zzz-no-such"): ' +
        'nothing would be tested',
    })
    const tags = prepareSuite(runConfig({ suite, cwd, tags: ['no-such-tag'] }))
    await expect(tags).rejects.toThrow(/--tag no-such-tag\): nothing would be tested/)
  })

  it('is not an empty shard of a non-empty selection', async () => {
    const one = { suite, cwd, grep: '^errors/status-and-json-body$' }
    const first = await prepareSuite(runConfig({ ...one, shard: { index: 1, total: 2 } }))
    const second = await prepareSuite(runConfig({ ...one, shard: { index: 2, total: 2 } }))
    expect(first.planned.map((s) => s.doc.id)).toEqual(['errors/status-and-json-body'])
    expect(second.planned).toEqual([])
    expect(second.shard?.plan).toBe(first.shard?.plan)
  })
})
