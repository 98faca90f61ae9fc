/**
 * What one authorization did on the server's pages, and the rule for a stored session that the
 * server did not accept (harness/browser/session-store.ts). Servers may rotate a session on use
 * or bind it to one interaction, so a reused session can end on an error page although a fresh
 * login would pass: the verdict must not depend on reuse, so that scenario logs in afresh.
 */
import type { AuthorizeOutcome } from './types.ts'

export interface LoginProgress {
  /** The login form was filled and submitted (or the login script ran). */
  loginSubmitted: boolean
  /** A login or consent form was submitted: the server ran an interaction. */
  interacted: boolean
}

export function freshProgress(): LoginProgress {
  return { loginSubmitted: false, interacted: false }
}

/** The attempt from the stored session failed, or ran an interaction that led nowhere. */
export function sessionRejected(
  attempt: { outcome: AuthorizeOutcome } | { error: unknown },
  progress: LoginProgress,
): boolean {
  if ('error' in attempt) return true
  return !attempt.outcome.redirected && progress.interacted
}

/** Runs `flow`, keeping its outcome or its error for `sessionRejected`. */
export async function attempt(
  flow: () => Promise<AuthorizeOutcome>,
): Promise<{ outcome: AuthorizeOutcome } | { error: unknown }> {
  try {
    return { outcome: await flow() }
  } catch (error) {
    return { error }
  }
}
