/**
 * Client authentication at the token endpoint is judged by how the server tells a right secret
 * from a wrong one (suites/code-flow/client-secret-basic.yaml): a token endpoint that answers
 * both alike (here 400 unauthorized_client to any client) shows no authentication at all, so
 * R6749-2.3.1-a must not pass, whatever the code it answers with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runSuite } from '../../harness/run-suite.ts'
import { repoRoot } from '../../harness/scenario/vocabulary.ts'
import { startToyServer, type ToyServer } from './helpers/toy-server.ts'

let toy: ToyServer
beforeAll(async () => {
  toy = await startToyServer('good', { tokenError: { status: 400, error: 'unauthorized_client' } })
})
afterAll(async () => {
  await toy.close()
})

describe('a token endpoint that answers every client alike', () => {
  it('fails client-secret-basic on R6749-2.3.1-a', async () => {
    const report = await runSuite({
      target: { name: 'toy', issuer: toy.issuer },
      loginDriver: 'http',
      cwd: repoRoot(),
      grep: '^code-flow/client-secret-basic$',
    })
    const [scenario] = report.scenarios
    expect(scenario?.outcome).toBe('failed')
    const failed = scenario?.steps.flatMap((step) => step.checks.filter((check) => !check.ok))
    expect(failed?.map((check) => check.requirement)).toEqual(['R6749-2.3.1-a'])
  })
})
