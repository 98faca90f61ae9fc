/**
 * An interrupt stops a run without losing a client (harness/runner/interrupt.ts): the request in
 * flight gets its grace period, so a registration's answer still reaches the ledger; no new step
 * starts; the scenario is not run (never a pass); the report says `interrupted`.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { runSuite } from '../../../harness/run-suite.ts'
import type { TargetConfig } from '../../../harness/model/target.ts'
import { FIXTURE_SUITES } from '../../e2e/helpers/suite-dir.ts'
import { startHostileTarget, type HostileTarget } from '../../hostile/helpers/hostile-target.ts'
import { RunInterrupted } from '../../../harness/runner/interrupt.ts'

const targets: HostileTarget[] = []
afterEach(async () => {
  await Promise.all(targets.splice(0).map((target) => target.close()))
})

const config = (target: HostileTarget): TargetConfig => ({
  name: 'hostile',
  issuer: target.issuer,
  capabilities: ['plain_http', 'rfc7592', 'delete'],
})

/** The one-scenario manage suite (register, read, delete) against `target` until `signal`. */
async function runManage(target: HostileTarget, signal: AbortSignal) {
  targets.push(target)
  return runSuite({ target: config(target), suite: [`${FIXTURE_SUITES}basic/manage.yaml`], signal })
}

describe('an interrupted run', () => {
  it('lets the registration in flight finish, runs no further step, and deletes the client', async () => {
    const interrupt = new AbortController()
    const target = await startHostileTarget({
      async handle({ req, url }) {
        if (req.method === 'POST' && url.pathname === '/oauth/register') {
          interrupt.abort(new RunInterrupted('SIGINT'))
          // Answered well within the grace period, after the interrupt.
          await new Promise((resolve) => setTimeout(resolve, 200))
        }
        return false
      },
    })
    const report = await runManage(target, interrupt.signal)
    expect(report.status).toBe('interrupted')
    expect(report.reason).toBe('interrupted by SIGINT')
    const [scenario] = report.scenarios
    expect(scenario?.outcome).toBe('skipped')
    expect(scenario?.notRun).toBe(true)
    expect(scenario?.message).toBe("interrupted by SIGINT at step 'read'")
    expect(scenario?.steps.map((step) => [step.id, step.outcome])).toEqual([
      ['reg', 'passed'],
      ['read', 'skipped'],
    ])
    // The registered client was deleted, nothing was left over, and 'read' never reached it.
    expect(target.clients.size).toBe(0)
    expect(report.leftovers).toBeUndefined()
    expect(target.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/oauth/register/'))).toEqual([])
    expect(report.requirements.find((r) => r.id === 'T-MGMT-1')?.verdict).toBe('untested')
  })

  it('aborts what is still in flight after the grace period', async () => {
    const interrupt = new AbortController()
    const target = await startHostileTarget({
      handle({ req, url }) {
        if (req.method === 'POST' && url.pathname === '/oauth/register') {
          interrupt.abort(new RunInterrupted('SIGTERM'))
          return true // a black hole: never answered
        }
        return false
      },
    })
    const report = await runManage(target, interrupt.signal)
    expect(report.status).toBe('interrupted')
    const [scenario] = report.scenarios
    expect(scenario?.outcome).toBe('skipped')
    expect(scenario?.notRun).toBe(true)
    expect(scenario?.message).toBe("interrupted by SIGTERM at step 'reg'")
    expect(scenario?.steps[0]?.outcome).toBe('errored')
  })
})
