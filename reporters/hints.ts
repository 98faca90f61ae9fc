/**
 * One-line hints for failures whose cause is typical (issue 11, item 7): an untrusted TLS
 * certificate, a registration endpoint that wants an initial access token the target does not
 * send, a login recipe that never reached the callback, a target that rate-limits the harness.
 * Shared by every reporter.
 */
import { isTlsTrouble, TLS_HINT } from '../harness/hints.ts'
import type { CheckResult, ScenarioResult, StepResult } from '../harness/model/result.ts'
import type { Report, RootCause } from '../harness/model/report.ts'
import { RATE_LIMITED_CHECK } from '../harness/verdicts/rate-limited.ts'
import {
  CREDENTIALS_REFUSED_CHECK,
  refusedRunCredentials,
} from '../harness/verdicts/credentials-refused.ts'

export { TLS_HINT }

export const IAT_HINT =
  'the registration endpoint refused a request without a token: if it needs an initial access ' +
  'token, configure registration.iat on the target and declare capability iat_required'

export const IAT_REFUSED_HINT =
  "the registration endpoint refused the run's initial access token: check registration.iat on " +
  'the target (the initial-access-token scenarios judge how the server treats its tokens)'

export const RATE_LIMIT_HINT =
  'the target rate-limited the harness (429) past its retries: run fewer scenarios at once ' +
  "(--workers, or the target's limits.concurrency) or raise the limit for the test clients"

export const LOGIN_HINT =
  'the login never reached the callback: compare login.steps (labels, button names) with the ' +
  "login page in the step's screenshot, or try the other --login-driver (browser or http)"

/** The hint for a step's error message, or undefined. */
export function errorHint(message: string | undefined): string | undefined {
  if (!message) return undefined
  if (isTlsTrouble(message)) return TLS_HINT
  if (message.startsWith('E_LOGIN:')) return LOGIN_HINT
  return undefined
}

/** A registration sent without Authorization that the target refused with 401 or 403. */
function refusedWithoutToken(step: StepResult, check: CheckResult): boolean {
  if (step.action !== 'register') return false
  if (check.actual !== 401 && check.actual !== 403) return false
  const exchange = step.exchanges.at(-1)
  return exchange !== undefined && exchange.request.headers['authorization'] === undefined
}

/** The hint for a failing check (or failed precondition) of `step`, or undefined. */
export function checkHint(step: StepResult, check: CheckResult): string | undefined {
  if (check.name === RATE_LIMITED_CHECK) return RATE_LIMIT_HINT
  if (check.name === CREDENTIALS_REFUSED_CHECK) {
    // Reports hold redacted exchanges: any request with the run's credentials tells what was sent.
    const refused =
      step.exchanges.find(refusedRunCredentials) ??
      step.exchanges.findLast((exchange) => exchange.runCredentials === true)
    return refused?.request.headers['authorization'] === undefined ? IAT_HINT : IAT_REFUSED_HINT
  }
  return refusedWithoutToken(step, check) ? IAT_HINT : undefined
}

/** The first hint that explains what went wrong in `scenario`, or undefined. */
export function scenarioHint(scenario: ScenarioResult): string | undefined {
  for (const step of scenario.steps) {
    const fromError = step.outcome === 'errored' ? errorHint(step.message) : undefined
    if (fromError) return fromError
    for (const check of step.checks) {
      const hint = check.ok ? undefined : checkHint(step, check)
      if (hint) return hint
    }
  }
  return errorHint(scenario.message)
}

/** The hint for a root cause of inconclusive scenarios, from the first scenario it blocks. */
export function rootCauseHint(
  report: Pick<Report, 'scenarios'>,
  cause: Pick<RootCause, 'scenarios'>,
): string | undefined {
  const first = report.scenarios.find((scenario) => scenario.id === cause.scenarios[0])
  const step = first?.steps.find((candidate) => candidate.id === first.blocker?.step)
  if (!step) return undefined
  for (const check of step.checks) {
    const hint = check.ok ? undefined : checkHint(step, check)
    if (hint) return hint
  }
  return undefined
}
