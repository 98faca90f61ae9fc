import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startReferenceTarget, type ReferenceTarget } from '../../../builtin/reference-target.ts'
import { runSuite } from '../../../harness/run-suite.ts'
import type { TargetConfig } from '../../../harness/model/target.ts'

let reference: ReferenceTarget
beforeAll(async () => {
  reference = await startReferenceTarget()
})
afterAll(async () => {
  await reference.close()
})

const run = (target: TargetConfig, suite: string[]) =>
  runSuite({ target, suite, workers: 2, loginDriver: 'http' })

describe('runner fixes against the reference target', () => {
  it('never lets fixture output redirect cleanup (update-server-managed-members)', async () => {
    const report = await run(reference.target, [
      'suites/client-management/update-server-managed-members.yaml',
    ])
    expect(report.scenarios[0]?.outcome).not.toBe('errored')
    expect(report.leftovers ?? []).toEqual([])
  })

  it('defaults target.scope for a target without the oidc capability', async () => {
    const target: TargetConfig = {
      ...reference.target,
      capabilities: reference.target.capabilities!.filter((c) => c !== 'oidc'),
    }
    const report = await run(target, [
      'suites/metadata-validation/redirect-uris-required.yaml',
      'suites/metadata-validation/public-client-no-secret.yaml',
    ])
    for (const scenario of report.scenarios) {
      expect([scenario.id, scenario.outcome, scenario.message]).toEqual([
        scenario.id,
        'passed',
        undefined,
      ])
    }
  })

  it('skips a scenario needing other_scope when the target has none', async () => {
    const iat = reference.target.registration!.iat as Record<string, unknown>
    const { other_scope: _dropped, ...withoutOther } = iat
    const target = {
      ...reference.target,
      registration: { iat: withoutOther },
    } as TargetConfig
    const report = await run(target, ['suites/initial-access-token/insufficient-scope.yaml'])
    expect(report.scenarios[0]).toMatchObject({
      outcome: 'skipped',
      // Decided before anything is sent, as `list` decides it: no step ran.
      message: expect.stringMatching(/needs a token without the registration scope.*other_scope/) as string,
      steps: [],
    })
    // Nothing else ran, so nothing was judged: never a pass (harness/verdicts/run-status.ts).
    expect([report.status, report.reason]).toEqual([
      'errored',
      'nothing was judged: of 1 scenario, 1 skipped (see their reasons)',
    ])
  })
})
