/**
 * The whole default suite against a plain OAuth server the harness knows little about
 * (test/e2e/helpers/toy-server.ts): no OpenID, no scopes_supported and no scope configured, no
 * login. Its deviations may fail scenarios; no scenario may error for what the target lacks (a
 * scope, a metadata member): those are requests without them, or steps that judge nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runSuite } from '../../harness/run-suite.ts'
import { repoRoot } from '../../harness/scenario/vocabulary.ts'
import { startToyServer, type ToyServer } from './helpers/toy-server.ts'

let toy: ToyServer
beforeAll(async () => {
  toy = await startToyServer('good')
})
afterAll(async () => {
  await toy.close()
})

describe('a plain OAuth target without scopes', () => {
  const options = { timeout: 60_000 }
  it('the default suite errors nowhere, and registrations carry no scope', options, async () => {
    const report = await runSuite({
      target: { name: 'toy', issuer: toy.issuer },
      loginDriver: 'http',
      cwd: repoRoot(),
    })
    const errored = report.scenarios
      .filter((scenario) => scenario.outcome === 'errored')
      .map((scenario) => `${scenario.id}: ${scenario.message ?? ''}`)
    expect(errored).toEqual([])
    expect(report.scenarios.filter((s) => s.outcome === 'passed').length).toBeGreaterThan(10)
    const registered = toy.registrations as Record<string, unknown>[]
    expect(registered.length).toBeGreaterThan(20)
    // `scope: ${{ target.scope }}` left the member out (a few scenarios send scopes of their own).
    const scoped = registered.filter((metadata) => typeof metadata?.['scope'] === 'string')
    expect(scoped.length).toBeLessThan(registered.length / 4)
  })
})
