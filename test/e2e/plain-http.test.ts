/**
 * A development deployment on cleartext http (docs/verdicts.md): declared `plain_http`, the
 * https-only checks are not applicable and the report says transport security was not verified;
 * undeclared, the same server fails them (the default stays strict).
 */
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startReferenceTarget, type ReferenceTarget } from '../../builtin/reference-target.ts'
import { runSuite } from '../../harness/run-suite.ts'
import { PLAIN_HTTP_CAVEAT } from '../../harness/runner/run-report.ts'
import { repoRoot } from '../../harness/scenario/vocabulary.ts'

const suites = ['discovery', 'registration'].map((folder) => join(repoRoot(), 'suites', folder))

let reference: ReferenceTarget
beforeAll(async () => {
  reference = await startReferenceTarget({ plainHttp: true })
})
afterAll(async () => {
  await reference.close()
})

describe('a plain-http development target', () => {
  it('declared plain_http: https checks not applicable, a caveat, no failure', { timeout: 120_000 }, async () => {
    expect(reference.target.issuer).toMatch(/^http:\/\//)
    const report = await runSuite({ target: reference.target, suite: suites, loginDriver: 'http' })
    expect(report.caveats).toEqual([PLAIN_HTTP_CAVEAT])
    const plainSkips = report.scenarios.filter((s) => s.message?.includes('plain_http'))
    expect(plainSkips.map((s) => s.id)).toEqual(
      expect.arrayContaining(['discovery/endpoints-use-https', 'registration/cleartext-http-refused']),
    )
    expect(report.requirements.filter((row) => row.verdict === 'fail')).toEqual([])
    expect(report.status).toBe('passed')
  })

  it('not declared: the same server fails the https requirements', { timeout: 120_000 }, async () => {
    const strict = {
      ...reference.target,
      capabilities: (reference.target.capabilities ?? []).filter((c) => c !== 'plain_http'),
    }
    const report = await runSuite({ target: strict, suite: suites, loginDriver: 'http' })
    expect(report.caveats).toBeUndefined()
    const failed = report.requirements.filter((row) => row.verdict === 'fail').map((row) => row.id)
    expect(failed).toContain('R8414-2-a')
    expect(report.status).toBe('failed')
  })
})
