/**
 * The blocking part of `doctor`, run by `run` before any scenario: the target answered discovery
 * (resolveTarget) and its IAT strategy really obtains a token. A wrong IAT client secret is then
 * one error line and exit 3, not every scenario errored with the same message.
 */
import { HarnessError, type ErrorCode } from '../errors.ts'
import { exchangeOf } from '../http/client.ts'
import { errorChain } from '../http/errors.ts'
import type { HttpClient } from '../http/types.ts'
import type { ResolvedTarget } from '../model/target.ts'
import { obtainIat, type IatResult } from './iat.ts'

/** Strategies checked without a user: `authorization_code` needs a login (doctor checks it). */
const UNATTENDED = new Set(['client_credentials', 'command'])

/**
 * Obtains one IAT by the target's strategy when that needs no user; throws an `E_IAT` error with
 * one line that names the setting to fix. Returns the result (undefined when nothing was asked).
 */
export async function preflightIat(
  target: ResolvedTarget,
  http: HttpClient,
  signal?: AbortSignal,
): Promise<IatResult | undefined> {
  const strategy = target.registration?.iat
  if (!strategy || !UNATTENDED.has(strategy.strategy)) return undefined
  try {
    return await obtainIat(target, { http, ...(signal ? { signal } : {}) })
  } catch (error) {
    // A refused origin already errors each step naming credential_origins (origin-policy.ts).
    if (causedBy(error, 'E_ORIGIN')) return undefined
    // An interrupt is the run's to report (interrupted, not a configuration problem).
    if (signal?.aborted || causedBy(error, 'E_INTERRUPTED')) return undefined
    // No answer at all (a reset, an http:// endpoint on a TLS port): that is the server's to
    // show, step by step, with its root cause; only a refusal of our request is configuration.
    if (strategy.strategy === 'client_credentials' && noAnswer(error)) return undefined
    // A 429 past the retries is the server's rate, not configuration: each step that needs a
    // token meets it and judges nothing (verdicts/rate-limited.ts).
    if (exchangeOf(error)?.response?.status === 429) return undefined
    throw new HarnessError('E_IAT', iatProblem(target, error), { cause: error })
  }
}

/** One line: which strategy failed, what the server said, and the targets.yaml keys to check. */
export function iatProblem(target: ResolvedTarget, error: unknown): string {
  const strategy = target.registration?.iat?.strategy ?? 'none'
  const detail = (error instanceof Error ? error.message : String(error))
    .replace(/^initial access token: /, '')
    .replace(/\s+/g, ' ')
  return (
    `target '${target.name}': registration.iat (${strategy}) obtained no initial access token: ` +
    `${detail}; fix: ${iatHint(strategy, detail)}`
  )
}

function iatHint(strategy: string, detail: string): string {
  if (strategy === 'command') return 'check registration.iat.command (it must print one token)'
  if (/invalid_scope/.test(detail)) return 'check registration.iat.scope'
  if (/answered (400|401|403)\b/.test(detail) || /invalid_client/.test(detail)) {
    return 'check registration.iat.client_id, client_secret and auth_method'
  }
  if (/TLS failure/.test(detail)) return 'set tls.ca to the CA that signed the server certificate'
  return 'check registration.iat and the token endpoint'
}

/**
 * Whether the IAT request got no answer at all (reset, closed, unreachable, timed out), a TLS
 * failure excepted: that one is configuration (`tls.ca`).
 */
function noAnswer(error: unknown): boolean {
  for (const at of harnessErrorsIn(error)) {
    if (at.code === 'E_TARGET_UNREACHABLE' || at.code === 'E_HTTP_TIMEOUT') return true
    if (at.code === 'E_HTTP') return !/TLS failure/.test(at.message)
  }
  return false
}

/** Whether `error` or one of its causes is a HarnessError with `code`. */
export function causedBy(error: unknown, code: ErrorCode): boolean {
  return harnessErrorsIn(error).some((at) => at.code === code)
}

const harnessErrorsIn = (error: unknown): HarnessError[] =>
  errorChain(error).filter((at): at is HarnessError => at instanceof HarnessError)
