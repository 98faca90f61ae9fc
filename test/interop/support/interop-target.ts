/**
 * One interop server per test file: started before its tests, closed after, and a run of the
 * suite against its targets.yaml entry with the environment it exported.
 */
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runSuite } from '../../../harness/run-suite.ts'
import type { Exchange, Report } from '../../../harness/types.ts'
import { describeScenario, expectEveryDeviationMet, expectOnlyKnownDeviations } from './verdict-gate.ts'

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

export interface InteropTarget<S extends InteropServer> {
  server(): S
  /** Runs the suite (or `suite` files, relative to the repository) against the target. */
  run(options: { suite?: string[]; loginDriver: 'http' | 'browser' }): Promise<Report>
}

/** Registers the start and stop hooks of the current describe block. */
export function useInteropTarget<S extends InteropServer>(
  target: string,
  start: () => Promise<S>,
): InteropTarget<S> {
  let started: S | undefined
  beforeAll(async () => {
    started = await start()
  })
  afterAll(async () => {
    await started?.close()
  })
  const server = () => {
    if (!started) throw new Error(`interop server for target '${target}' did not start`)
    return started
  }
  return {
    server,
    run: (options) =>
      runSuite({
        target,
        targetsFile: 'targets.yaml',
        cwd: root,
        env: { ...process.env, ...server().env },
        loginDriver: options.loginDriver,
        ...(options.suite ? { suite: options.suite } : {}),
      }),
  }
}

/**
 * The two tests every interop target has: the whole suite with only the known deviations of
 * `file` (and `alsoExpect` on the report, to show it was a real run), then every deviation met.
 */
export function itRunsWithOnlyKnownDeviations<S extends InteropServer>(
  target: InteropTarget<S>,
  file: string,
  alsoExpect: (report: Report) => void,
): void {
  let report: Report | undefined
  it('runs the full suite with only the documented deviations', { timeout: 300_000 }, async () => {
    report = await target.run({ loginDriver: 'http' })
    expectOnlyKnownDeviations(report, file)
    alsoExpect(report)
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
export function itWalksThroughInABrowser<S extends InteropServer>(
  target: InteropTarget<S>,
  isFormPost: (exchange: Exchange, server: S) => boolean,
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
      (exchange) => exchange.request.method === 'POST' && isFormPost(exchange, target.server()),
    )
    expect(posts).toHaveLength(2)
    for (const exchange of exchanges)
      expect(exchange.request.headers['user-agent']).toMatch(/HeadlessChrome|Chrome/)
  })
}
