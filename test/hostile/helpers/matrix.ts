/**
 * The hostile-target matrix (issue 10, item 7 and acceptance 1): what every case asserts, and the
 * set-up each case shares. The 24 behaviours, in the words, and where each lives:
 *
 * discovery.test.ts (the run cannot start: one `error:` line, exit 3, reports `errored`)
 *   1. huge body: a discovery document over the 1 MiB limit
 *   2. drip: a discovery document one byte at a time
 *   3. endless body: a discovery document that never ends
 *   4. endless headers: header lines that never end
 *   5. header bomb: 100,000 headers in one answer
 *   6. invalid JSON as the discovery document
 *   7. an HTML page where the discovery document is expected
 *   8. redirect loop: discovery redirects to itself (not followed, so it cannot loop; 8b loops)
 *   9. reset: the connection is reset at discovery
 *  10. black hole: accepted, never answered
 *  11. self-signed TLS without the CA configured
 *  12. deeply nested JSON (100k levels) in discovery
 * scenarios.test.ts (a scenario meets it; exit per README's exit-code rules, see each case)
 *  13. discovery-advertised endpoints at 169.254.169.254 (the IAT's token endpoint)
 *  14. huge body: a registration answer over the 1 MiB limit
 *  15. reset in the middle of a registration answer
 *  16. invalid JSON as the registration answer
 *  17. an HTML page where the registration answer is expected
 *  18. foreign redirect not followed: 307 from the registration endpoint to another origin
 *  19. a foreign-origin `registration_client_uri` (the RAT must not go there)
 *  20. a link-local registration endpoint in discovery (fe80::)
 *  21. a `file://` authorization endpoint, HTTP-form driver
 *  22. a `file://` authorization endpoint, browser (real Chromium)
 *  23. a 900 KB `client_id`
 *  24. deeply nested JSON (100k levels) in a registration answer
 *  25. (beyond the 24) a login form posting to a foreign origin, browser (the password stays home)
 *  26. (beyond the 24) an authorization endpoint redirecting to 169.254.169.254, browser
 *  27. (beyond the 24) a login POST answered 307 to a foreign origin, browser (the redirect guard)
 *  28. (beyond the 24) lone surrogates in the secrets of a registration answer
 *  8b. (beyond the 24) a redirect loop where redirects are followed: the HTTP-form login
 *
 * Every case asserts: the exit code, an end before HANG_AFTER_MS (a hang detector, not a timing),
 * peak RSS under 300 MiB, 0 credentials at the foreign origin, both reports written, parsing and
 * under 5 MB, no harness fault, and the reason the run gives (right for the right reason).
 */
import { appendFileSync } from 'node:fs'
import { expect } from 'vitest'
import { validateReport } from '../../../reporters/validate.ts'
import type { Report } from '../../../harness/model/report.ts'
import { parseXml } from '../../reporters/xml-wellformed.ts'
import { startForeignRecorder, type ForeignRecorder } from './foreign-recorder.ts'
import { startHostileTarget, type HostileOptions, type HostileTarget } from './hostile-target.ts'
import { runCase, type CaseResult } from './run-case.ts'

export const MAX_RSS_KIB = 300 * 1024
export const MAX_REPORT_BYTES = 5 * 1024 * 1024
/** A short request timeout for cases that stall (black hole, drip): the run still ends on its own. */
export const STALL_LIMITS = { request_timeout_ms: 3_000 }
/** The static IAT the targets use, so a leak of it is recognisable at the foreign origin. */
export const STATIC_IAT = 'hostile-matrix-static-iat-4f1d9a'
export const IAT_CLIENT_SECRET = 'hostile-matrix-iat-client-secret-77c2'

const STATUS_OF_EXIT: Record<number, Report['status']> = { 0: 'passed', 1: 'failed', 3: 'errored' }

export interface CaseExpectation {
  exit: 0 | 1 | 3
  /** Matched against the report's reason and every scenario's and step's message. */
  reason: RegExp
  /** The run could not start: exactly one `error:` line on stderr. */
  oneErrorLine?: boolean
  /** More values that must not reach the foreign origin (a case's own RATs and secrets). */
  secrets?: readonly string[]
}

export interface HostileCaseContext {
  /** The case's name (its test's), for the measured summary. */
  name: string
  target: HostileTarget
  foreign: ForeignRecorder
  result: CaseResult
}

/** The report's reason and the messages of every scenario, step and failed check, one a line. */
export function messagesOf(report: Report): string {
  const lines = [report.reason ?? '']
  for (const scenario of report.scenarios) {
    lines.push(scenario.message ?? '')
    for (const step of scenario.steps) {
      lines.push(step.message ?? '')
      for (const check of step.checks) if (!check.ok) lines.push(check.message ?? '')
    }
  }
  return lines.filter((line) => line !== '').join('\n')
}

/**
 * Starts the foreign recorder and a hostile target (whose options may name the recorder's
 * origin), runs the CLI with `args`, and closes both servers.
 */
export async function runHostileCase(
  name: string,
  options: (foreign: ForeignRecorder) => HostileOptions,
  args: string[],
): Promise<HostileCaseContext> {
  const foreign = await startForeignRecorder()
  const target = await startHostileTarget(options(foreign))
  try {
    return { name, target, foreign, result: await runCase(target, args) }
  } finally {
    await Promise.all([target.close(), foreign.close()])
  }
}

/**
 * With HOSTILE_MATRIX_SUMMARY=FILE, each case appends one JSON line (exit, seconds, peak RSS,
 * report sizes, foreign requests) to FILE: the numbers behind a measured run.
 */
function summarize(context: HostileCaseContext): void {
  const file = process.env.HOSTILE_MATRIX_SUMMARY
  if (!file) return
  const { result, foreign } = context
  const line = {
    case: context.name,
    exit: result.exit,
    seconds: result.seconds,
    peakRssMiB: Math.round(result.peakRssKib / 1024),
    reportBytes: result.sizes,
    foreignRequests: foreign.requests.length,
    reason: result.report instanceof Error ? result.report.message : messagesOf(result.report).slice(0, 300),
  }
  appendFileSync(file, `${JSON.stringify(line)}\n`)
}

/** What every case of the matrix asserts (see the file comment). */
export function expectContained(context: HostileCaseContext, expected: CaseExpectation): Report {
  summarize(context)
  const { result, foreign, target } = context
  const output = `${result.stdout}\n${result.stderr}`
  expect(result.killed, `hung, killed after the bound:\n${output.slice(-2000)}`).toBe(false)
  expect(result.exit, output.slice(-3000)).toBe(expected.exit)
  expect(result.peakRssKib).toBeGreaterThan(0)
  expect(result.peakRssKib).toBeLessThan(MAX_RSS_KIB)
  const secrets = [STATIC_IAT, IAT_CLIENT_SECRET, ...target.issued, ...(expected.secrets ?? [])]
  expect(foreign.credentialRequests(secrets)).toEqual([])
  expect(output).not.toMatch(/harness fault|RangeError|Maximum call stack/)
  if (result.report instanceof Error) throw result.report
  if (result.junit instanceof Error) throw result.junit
  expect(validateReport(result.report)).toEqual([])
  expect(result.report.status).toBe(STATUS_OF_EXIT[expected.exit])
  expect(() => parseXml(result.junit as string)).not.toThrow()
  expect(result.sizes.json).toBeLessThan(MAX_REPORT_BYTES)
  expect(result.sizes.junit).toBeLessThan(MAX_REPORT_BYTES)
  expect(messagesOf(result.report), output.slice(-3000)).toMatch(expected.reason)
  if (expected.oneErrorLine) {
    const errorLines = result.stderr.split('\n').filter((line) => line.startsWith('error:'))
    expect(errorLines, output.slice(-3000)).toHaveLength(1)
  }
  return result.report
}
