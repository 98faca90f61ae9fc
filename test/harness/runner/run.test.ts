import { afterEach, describe, expect, it } from 'vitest'
import { runSuite } from '../../../harness/run-suite.ts'
import type { TargetConfig } from '../../../harness/model/target.ts'
import type { ScenarioResult } from '../../../harness/model/result.ts'
import type { Report } from '../../../harness/model/report.ts'
import type { Reporter } from '../../../harness/model/reporter.ts'
import {
  startToyServer,
  TOY_IAT_CLIENT,
  type ToyMode,
  type ToyServer,
} from '../../e2e/helpers/toy-server.ts'
import { writeSuite } from '../../e2e/helpers/suite-dir.ts'

const servers: ToyServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function toy(
  mode: ToyMode = 'good',
  options: { requireIat?: boolean } = {},
): Promise<ToyServer> {
  const server = await startToyServer(mode, options)
  servers.push(server)
  return server
}

function config(server: ToyServer, extra: Partial<TargetConfig> = {}): TargetConfig {
  return { name: 'toy', issuer: server.issuer, capabilities: ['rfc7592', 'delete'], ...extra }
}

function recorder(): Reporter & { events: unknown[] } {
  const events: unknown[] = []
  return {
    events,
    onRunStart: (info) => void events.push(info),
    onScenarioStart: (s) => void events.push(s),
    onScenarioEnd: (r) => void events.push(r),
    onNotice: (m) => void events.push(m),
    onRunEnd: (r) => void events.push(r),
  }
}

const scenarioOf = (report: Report, id: string): ScenarioResult =>
  report.scenarios.find((s) => s.id === id)!

const REGISTER = `
  - id: reg
    register: { metadata: { redirect_uris: ["\${{ run.callback_url }}"] } }
    expect: { status: 201, requirement: T-REG-1 }`
/** A set-up registration: a precondition, no verdict. */
const REGISTER_SETUP = `
  - id: reg
    register: { metadata: { redirect_uris: ["\${{ run.callback_url }}"] } }
    expect: { status: 2xx }`

describe('runScenarios', () => {
  it('deletes registered clients with the latest (rotated) registration access token', async () => {
    const server = await toy()
    const suite = await writeSuite({
      'm/rotate.yaml': `id: m/rotate
title: read rotates the RAT
requirements: [T-MGMT-1]
steps:${REGISTER_SETUP}
  - id: read
    http: { url: "\${{ steps.reg.registration_client_uri }}", auth: { bearer: "\${{ steps.reg.registration_access_token }}" } }
    expect: { status: 200, requirement: T-MGMT-1 }
`,
    })
    const report = await runSuite({ target: config(server), suite: [suite], workers: 1 })
    expect(scenarioOf(report, 'm/rotate').outcome).toBe('passed')
    expect(server.deleted).toHaveLength(1)
    expect(server.clients.size).toBe(0)
    expect(report.leftovers).toBeUndefined()
  })

  it('lists clients as leftovers when the target cannot delete', async () => {
    const server = await toy()
    const suite = await writeSuite({
      'r/one.yaml': `id: r/one\ntitle: one\nrequirements: [T-REG-1]\nsteps:${REGISTER}\n`,
    })
    const report = await runSuite({ target: config(server, { capabilities: [] }), suite: [suite] })
    expect(server.deleted).toEqual([])
    expect(report.leftovers).toEqual([
      {
        client_id: [...server.clients.keys()][0],
        reason: expect.stringMatching(/capability delete/),
      },
    ])
  })

  it('stops after a failed must check unless continue, and always runs cleanup', async () => {
    const server = await toy()
    const step = (id: string, status: number, extra = '') => `
  - id: ${id}
    http: { url: "\${{ target.issuer }}/.well-known/openid-configuration" }
    expect: { status: ${status}, requirement: T-DISC-1 }${extra}`
    const suite = await writeSuite({
      's/stop.yaml': `id: s/stop\ntitle: stop\nrequirements: [T-DISC-1]\nsteps:${step('a', 500)}${step('b', 200)}\ncleanup:${step('c', 200)}\n`,
      's/go-on.yaml': `id: s/go-on\ntitle: go on\nrequirements: [T-DISC-1]\nsteps:${step('a', 500, '\n    continue: true')}${step('b', 200)}\n`,
      's/should.yaml': `id: s/should\ntitle: should\nrequirements: [T-REG-2, T-DISC-1]\nsteps:${step('a', 500).replace('T-DISC-1', 'T-REG-2')}\n    level: should${step('b', 200)}\n`,
    })
    const report = await runSuite({ target: config(server), suite: [suite] })
    const stop = scenarioOf(report, 's/stop')
    expect(stop.outcome).toBe('failed')
    expect(stop.steps.map((s) => [s.id, s.outcome])).toEqual([
      ['a', 'failed'],
      ['b', 'skipped'],
      ['c', 'passed'],
    ])
    expect(scenarioOf(report, 's/go-on').steps.map((s) => s.outcome)).toEqual(['failed', 'passed'])
    expect(scenarioOf(report, 's/should').outcome).toBe('warned')
    expect(report.status).toBe('failed')
  })

  it('runs a step with `when` only when its condition holds; otherwise it does not apply', async () => {
    const server = await toy()
    const doc = (id: string, wanted: number) => `id: w/${id}
title: ${id}
requirements: [T-DISC-1]
steps:
  - id: a
    http: { url: "\${{ target.issuer }}/.well-known/openid-configuration" }
    expect: { status: 2xx }
  - id: b
    when: { subject: "\${{ steps.a.status }}", is: ${wanted} }
    http: { url: "\${{ target.issuer }}/.well-known/openid-configuration" }
    expect: { status: 500, requirement: T-DISC-1 }
`
    const suite = await writeSuite({ 'w/holds.yaml': doc('holds', 200), 'w/not.yaml': doc('not', 404) })
    const report = await runSuite({ target: config(server), suite: [suite] })
    // The condition held: the step ran (and its check failed, as written).
    expect(scenarioOf(report, 'w/holds').outcome).toBe('failed')
    const skipped = scenarioOf(report, 'w/not')
    expect(skipped.steps.map((step) => step.outcome)).toEqual(['passed', 'skipped'])
    expect(skipped).toMatchObject({
      outcome: 'skipped',
      message: expect.stringMatching(/^not applicable: condition of step 'b' not met/),
    })
  })

  it('errors a scenario with an unresolvable reference', async () => {
    const server = await toy()
    const suite = await writeSuite({
      'x/template.yaml': `id: x/template\ntitle: template\nrequirements: [T-DISC-1]\nsteps:\n  - id: a\n    http: { url: "\${{ target.data.nope }}" }\n    expect: { status: 200, requirement: T-DISC-1 }\n`,
    })
    const report = await runSuite({ target: config(server), suite: [suite] })
    const template = scenarioOf(report, 'x/template')
    expect(template.outcome).toBe('errored')
    expect(template.steps[0]!.message).toMatch(/E_TEMPLATE/)
    expect(report.status).toBe('errored')
  })

  it('aborts a scenario past its timeout, then still runs cleanup (skipping steps that need what never ran)', async () => {
    const server = await toy('hang')
    const suite = await writeSuite({
      't/hang.yaml': `id: t/hang\ntitle: hang\nrequirements: [T-REG-1]\ntimeout: 300\nsteps:${REGISTER}\ncleanup:
  - id: gone
    http: { url: "\${{ steps.reg.registration_client_uri }}", method: DELETE }
    expect: { status: 2xx }
  - id: disco
    http: { url: "\${{ target.issuer }}/.well-known/openid-configuration" }
    expect: { status: 2xx }
`,
    })
    const report = await runSuite({ target: config(server), suite: [suite] })
    const hang = scenarioOf(report, 't/hang')
    expect(hang.outcome).toBe('errored')
    expect(hang.message).toMatch(/timed out after 300 ms/)
    expect(hang.steps.map((s) => [s.id, s.outcome])).toEqual([
      ['reg', 'errored'],
      ['gone', 'skipped'],
      ['disco', 'passed'],
    ])
    expect(hang.steps[1]!.message).toMatch(/refers to step reg which did not run/)
  })

  it('--bail skips what was not started after the first failure', async () => {
    const server = await toy('status200')
    const files: Record<string, string> = {}
    for (const n of [1, 2, 3])
      files[`b/s${n}.yaml`] =
        `id: b/s${n}\ntitle: s${n}\nrequirements: [T-REG-1]\nsteps:${REGISTER}\n`
    const report = await runSuite({
      target: config(server),
      suite: [await writeSuite(files)],
      workers: 1,
      bail: true,
      seed: 1,
    })
    expect(report.counts).toMatchObject({ failed: 1, skipped: 2 })
    expect(
      report.scenarios.filter((s) => s.outcome === 'skipped').every((s) => s.message === 'bail'),
    ).toBe(true)
  })

  it('applies expectations: excuses cited failures, reports met, stale and unused entries', async () => {
    const server = await toy('status200')
    const checked = `
  - id: reg
    register: { metadata: { redirect_uris: ["\${{ run.callback_url }}"] } }
    expect: { status: 201, requirement: T-REG-1 }`
    const suite = await writeSuite({
      'e/fails.yaml': `id: e/fails\ntitle: fails\nrequirements: [T-REG-1]\nsteps:${checked}\n`,
      'e/passes.yaml': `id: e/passes\ntitle: passes\nrequirements: [T-DISC-1]\nsteps:\n  - id: a\n    http: { url: "\${{ target.issuer }}/.well-known/openid-configuration" }\n    expect: { status: 200, requirement: T-DISC-1 }\n`,
      'expected-met.yaml':
        'expectations:\n  - { requirement: T-REG-1, scenario: e/fails, reason: "answers 200" }\n  - { requirement: T-MGMT-1, reason: "not run here" }\n',
      'expected-stale.yaml':
        'expectations:\n  - { requirement: T-REG-1, scenario: e/fails, reason: "answers 200" }\n  - { requirement: T-DISC-1, reason: "used to fail" }\n',
    })
    const met = await runSuite({
      target: config(server),
      suite: [`${suite}/e`],
      expectations: `${suite}/expected-met.yaml`,
    })
    const excused = scenarioOf(met, 'e/fails').steps[0]?.checks.find((c) => !c.ok)
    expect(scenarioOf(met, 'e/fails').outcome).toBe('failed')
    expect(excused).toMatchObject({ requirement: 'T-REG-1', excused: 'answers 200' })
    expect(met.expectations?.map((entry) => entry.state)).toEqual(['met', 'unused'])
    expect(met.requirements.find((row) => row.id === 'T-REG-1')).toMatchObject({
      verdict: 'fail',
      excused: true,
    })
    expect(met.status).toBe('passed')
    const stale = await runSuite({
      target: config(server),
      suite: [`${suite}/e`],
      expectations: `${suite}/expected-stale.yaml`,
    })
    expect(stale.expectations).toEqual([
      { requirement: 'T-REG-1', scenario: 'e/fails', reason: 'answers 200', state: 'met' },
      { requirement: 'T-DISC-1', reason: 'used to fail', state: 'stale' },
    ])
    expect(stale.status).toBe('failed')
    // A run of one scenario may use a file that names the others of the suites folder.
    const one = await runSuite({
      target: config(server),
      suite: [`${suite}/e/fails.yaml`],
      expectations: `${suite}/expected-stale.yaml`,
    })
    expect(one.scenarios.map((s) => s.id)).toEqual(['e/fails'])
    expect(one.expectations?.map((entry) => entry.state)).toEqual(['met', 'unused'])
    expect(one.status).toBe('passed')
  })

  it('redacts every secret before a reporter sees it', async () => {
    const server = await toy('good', { requireIat: true })
    const suite = await writeSuite({
      'r/secret.yaml': `id: r/secret\ntitle: secrets\nrequirements: [T-REG-1]\nsteps:
  - id: iat
    token: { purpose: initial-access-token }
    expect: { status: 200 }
  - id: reg
    register: { token: "\${{ steps.iat.access_token }}", metadata: { redirect_uris: ["https://a.test/cb"], note: "\${{ steps.iat.access_token }}" } }
    expect: { status: 201, body: { client_secret: { $type: string } }, requirement: T-REG-1 }
  - id: read
    http: { url: "\${{ steps.reg.registration_client_uri }}?t=\${{ steps.reg.registration_access_token }}", auth: { bearer: "\${{ steps.reg.registration_access_token }}" } }
    expect: { status: 200 }
`,
    })
    const reporter = recorder()
    const report = await runSuite({
      target: config(server, {
        registration: { iat: { strategy: 'client_credentials', ...TOY_IAT_CLIENT } },
        capabilities: [],
      }),
      suite: [suite],
      reporters: [reporter],
    })
    expect(scenarioOf(report, 'r/secret').outcome).toBe('passed')
    const secrets = [
      TOY_IAT_CLIENT.client_secret,
      ...[...server.clients.values()].map((c) => c.rat),
    ]
    const body = (server.registrations[0] as { note: string }).note
    secrets.push(body)
    const everything = JSON.stringify([reporter.events, report])
    for (const secret of secrets) expect(everything).not.toContain(secret)
    expect(everything).toContain('[REDACTED')
  })

  it('caps workers by the target concurrency and reports the seed', async () => {
    const server = await toy()
    const files: Record<string, string> = {}
    for (const n of [1, 2, 3, 4])
      files[`c/s${n}.yaml`] =
        `id: c/s${n}\ntitle: s${n}\nrequirements: [T-DISC-1]\nsteps:\n  - id: a\n    http: { url: "\${{ target.issuer }}/.well-known/openid-configuration" }\n    expect: { status: 200, requirement: T-DISC-1 }\n`
    const reporter = recorder()
    const report = await runSuite({
      target: config(server, { limits: { concurrency: 1 } }),
      suite: [await writeSuite(files)],
      workers: 4,
      seed: 99,
      reporters: [reporter],
    })
    expect(report.seed).toBe(99)
    expect(report.counts.passed).toBe(4)
    // With one worker, every start is followed by its own end before the next start.
    const sequence = reporter.events
      .filter((e) => typeof e === 'object' && e !== null && 'id' in e)
      .map((e) => ('outcome' in (e as object) ? 'end' : 'start'))
    expect(sequence).toEqual(['start', 'end', 'start', 'end', 'start', 'end', 'start', 'end'])
  })
})
