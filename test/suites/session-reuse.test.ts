/**
 * Log in once, reuse the session (harness/browser/session-store.ts) changes no verdict: the same
 * outcome for every scenario, and the same requirement verdicts, with and without session reuse,
 * on the clean reference server and under faults that involve the login; and the real browser,
 * reusing sessions, agrees with the HTTP-form driver that logs in every time.
 *
 * Each comparison also asserts that reuse did happen (and did not, when off), so that it cannot
 * hold by both runs logging in every time.
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startReferenceTarget } from '../../builtin/reference-target.ts'
import { runSuite, type RunSuiteOptions } from '../../harness/run-suite.ts'
import { loadScenarioFiles } from '../../harness/scenario/load.ts'
import { repoRoot } from '../../harness/scenario/vocabulary.ts'
import { logsIn } from '../../harness/runner/schedule.ts'
import type { Report } from '../../harness/model/report.ts'
import { faultCatalogue } from '../../reference-server/index.ts'
import { proofProblem } from './proof.ts'
import { selectedForProof } from './selection.ts'

/** Faults on the way through the login: its page, its POST, redirects, state, auth_time, max_age. */
const LOGIN_FAULTS = [
  'login-307',
  'framing-allowed',
  'state-dropped',
  'redirect-prefix-match',
  'redirect-mismatch-redirects',
  'auth-time-missing',
  'default-max-age-ignored',
]

const root = repoRoot()
const all = await loadScenarioFiles([join(root, 'suites')], { cwd: root })
const selected = selectedForProof(all)
const loginScenarios = selected.filter(logsIn)

function outcomes(report: Report): Record<string, string> {
  return Object.fromEntries(report.scenarios.map((s) => [s.id, s.outcome]))
}

function verdicts(report: Report): Record<string, string> {
  return Object.fromEntries(report.requirements.map((r) => [r.id, r.verdict]))
}

/** How many authorize steps started from a stored session. */
function reusedSteps(report: Report): number {
  return report.scenarios.flatMap((s) => s.steps).filter((step) => step.sessionReused).length
}

async function both(options: RunSuiteOptions): Promise<[Report, Report]> {
  const reused = await runSuite({ ...options, cwd: root })
  const fresh = await runSuite({ ...options, cwd: root, sessionReuse: false })
  return [reused, fresh]
}

describe('session reuse changes no verdict', () => {
  it('on the clean reference server: the whole suite', { timeout: 300_000 }, async () => {
    const [reused, fresh] = await both({
      target: 'reference',
      loginDriver: 'http',
      suite: selected.map((s) => s.file),
    })
    expect(outcomes(reused)).toEqual(outcomes(fresh))
    expect(verdicts(reused)).toEqual(verdicts(fresh))
    expect(reused.status).toBe(fresh.status)
    if (loginScenarios.length > 1) expect(reusedSteps(reused)).toBeGreaterThan(0)
    expect(reusedSteps(fresh)).toBe(0)
  })

  it('under faults that involve the login', { timeout: 600_000 }, async () => {
    const faults = LOGIN_FAULTS.filter((name) => faultCatalogue.some((f) => f.name === name))
    expect(faults).toEqual(LOGIN_FAULTS)
    const problems: string[] = []
    for (const fault of faults) {
      const reference = await startReferenceTarget({ faults: [fault] })
      try {
        // All login scenarios in one run: the fault's own ones then mostly start from a session.
        const [reused, fresh] = await both({
          target: reference.target,
          loginDriver: 'http',
          workers: 2,
          suite: loginScenarios.map((s) => s.file),
        })
        expect(outcomes(reused), fault).toEqual(outcomes(fresh))
        expect(verdicts(reused), fault).toEqual(verdicts(fresh))
        if (loginScenarios.length > 1) expect(reusedSteps(reused), fault).toBeGreaterThan(0)
        const requirements = faultCatalogue.find((f) => f.name === fault)?.requirements ?? []
        for (const scenario of loginScenarios.filter((s) => s.doc.faults?.includes(fault))) {
          for (const [mode, report] of [['reused', reused], ['fresh', fresh]] as const) {
            const result = report.scenarios.find((s) => s.id === scenario.doc.id)
            // A scenario skipped by capability proves nothing in either mode.
            if (result?.outcome === 'skipped') continue
            const problem = proofProblem(result, requirements)
            if (problem) problems.push(`${scenario.doc.id} under ${fault} (${mode}): ${problem}`)
          }
        }
      } finally {
        await reference.close()
      }
    }
    expect(problems).toEqual([])
  })

  it('with real Chromium reusing sessions, as with the HTTP-form driver logging in every time', { timeout: 300_000 }, async () => {
    const suite = loginScenarios.map((s) => s.file)
    const browser = await runSuite({ target: 'reference', loginDriver: 'browser', suite, cwd: root })
    const http = await runSuite({
      target: 'reference',
      loginDriver: 'http',
      sessionReuse: false,
      suite,
      cwd: root,
    })
    expect(outcomes(browser)).toEqual(outcomes(http))
    expect(verdicts(browser)).toEqual(verdicts(http))
    const steps = browser.scenarios.flatMap((s) => s.steps).filter((s) => s.action === 'authorize')
    expect(steps.every((step) => step.outcome === 'skipped' || step.driver === 'browser')).toBe(true)
    if (loginScenarios.length > 1) expect(reusedSteps(browser)).toBeGreaterThan(0)
  })
})
