/**
 * The interop targets: servers of other projects that the suite runs against through the
 * engine's own `command` target provider, as any vendor's server would be started from
 * targets.yaml; and the two verdict tests every one of them gets.
 */
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { runSuite } from '../../../harness/run-suite.ts'
import type { Exchange } from '../../../harness/model/result.ts'
import type { Report } from '../../../harness/model/report.ts'
import {
  describeScenario,
  expectEveryDeviationMet,
  expectOnlyKnownDeviations,
  type Unattributed,
} from './verdict-gate.ts'

const root = fileURLToPath(new URL('../../../', import.meta.url))

/** What every interop server start function returns. */
export interface InteropServer {
  issuer: string
  /** The variables its targets.yaml entry reads. */
  env: Record<string, string>
  close(): Promise<void>
}

/** An interop server with a registration client (the IAT by client credentials) and a user. */
export interface InteropServerWithClients extends InteropServer {
  origin: string
  port: number
  registrationClient: { client_id: string; client_secret: string; scope: string; other_scope: string }
  user: { username: string; password: string }
  /** PEM of the CA that signed the server certificate. */
  caFile: string
}

export interface InteropTarget {
  name: string
  /** Runs the suite (or `suite` files, relative to the repository) against the target. */
  run(options: { suite?: string[]; loginDriver: 'http' | 'browser' }): Promise<Report>
}

/**
 * The target of targets.yaml named `target`. Each run starts its server through the entry's
 * `provider:` (the command provider, harness/providers/command.ts, runs support/serve.ts) and
 * stops it at the end, as a run from the command line does.
 */
export function interopTarget(target: string): InteropTarget {
  return {
    name: target,
    run: (options) =>
      runSuite({
        target,
        targetsFile: 'targets.yaml',
        cwd: root,
        env: { ...process.env },
        loginDriver: options.loginDriver,
        ...(options.suite ? { suite: options.suite } : {}),
      }),
  }
}

/** The issuer of a target the command provider started: an https loopback URL with its port. */
const LOOPBACK_ISSUER = /^https:\/\/127\.0\.0\.1:\d+(\/|$)/

/** What shows that a run of an interop target was a real one, not a run that skipped it all. */
export interface RealRun {
  /** More scenarios than this pass. */
  minPassed: number
  /** These scenarios pass. */
  passing: readonly string[]
  /** The target's own signs on the report. */
  alsoExpect?: (report: Report) => void
  /**
   * Scenarios a documented deviation leaves inconclusive: scenario id -> the requirement their
   * blocker violates (verdict-gate.ts).
   */
  blocked?: Readonly<Record<string, string>>
  /** Scenarios left inconclusive by a blocker that names no rule (verdict-gate.ts). */
  unattributed?: Unattributed
  /** The login driver of the run (default the HTTP-form driver). */
  loginDriver?: 'http' | 'browser'
  /** The run's test budget (default 300 s). */
  timeoutMs?: number
}

/**
 * The two tests every interop target has: the whole suite with only the known deviations of
 * expectations/NAME.yaml, and the signs of `realRun` (the command provider started the server
 * and read its issuer, a loopback URL); then every deviation met.
 */
export function itRunsWithOnlyKnownDeviations(target: InteropTarget, realRun: RealRun): void {
  let report: Report | undefined
  const timeout = realRun.timeoutMs ?? 300_000
  it('runs the full suite with only the documented deviations', { timeout }, async () => {
    report = await target.run({ loginDriver: realRun.loginDriver ?? 'http' })
    const file = `expectations/${target.name}.yaml`
    expectOnlyKnownDeviations(report, file, realRun.blocked, realRun.unattributed)
    expect(report.counts.passed).toBeGreaterThan(realRun.minPassed)
    for (const id of realRun.passing) {
      const scenario = report.scenarios.find((s) => s.id === id)
      expect(scenario?.outcome, scenario ? describeScenario(scenario) : id).toBe('passed')
    }
    expect(report.target.issuer).toMatch(LOOPBACK_ISSUER)
    realRun.alsoExpect?.(report)
  })
  it('documents every deviation with its evidence, and each one still happens', () => {
    expectEveryDeviationMet(report)
  })
}

/**
 * The seed walk-through in a real Chromium with the target's declarative login recipe: it
 * passes, and Chromium itself sent the two form POSTs (login, then consent) that `isFormPost`
 * recognises before the loopback callback.
 */
export function itWalksThroughInABrowser(
  target: InteropTarget,
  isFormPost: (exchange: Exchange, issuer: string) => boolean,
): void {
  it('completes the seed walk-through in a real browser with the declarative recipe', { timeout: 120_000 }, async () => {
    const report = await target.run({ suite: ['suites/code-flow/seed-walkthrough.yaml'], loginDriver: 'browser' })
    expect(report.scenarios.map(describeScenario)).toEqual([
      expect.stringMatching(/^code-flow\/seed-walkthrough passed/),
    ])
    const login = report.scenarios[0]?.steps.find((step) => step.id === 'login')
    expect(login?.outcome).toBe('passed')
    const exchanges = login?.exchanges ?? []
    const posts = exchanges.filter(
      (exchange) => exchange.request.method === 'POST' && isFormPost(exchange, report.target.issuer),
    )
    expect(posts).toHaveLength(2)
    for (const exchange of exchanges)
      expect(exchange.request.headers['user-agent']).toMatch(/HeadlessChrome|Chrome/)
  })
}
