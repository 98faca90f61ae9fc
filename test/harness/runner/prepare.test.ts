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
