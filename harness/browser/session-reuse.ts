/**
 * "Log in once, reuse the session" as both login drivers run it (session-store.ts keeps the
 * run's session; login-progress.ts says when the server did not accept it). A driver keeps a
 * scenario's login state in its own holder, a cookie jar or a browser context; the steps here
 * are the same for both, so the two drivers reuse sessions alike.
 */
import { attempt, freshProgress, sessionRejected, type LoginProgress } from './login-progress.ts'
import type { SessionStore } from './session-store.ts'
import type { AuthorizeOutcome, BrowserAuthorizeRequest } from './types.ts'

/** Where a driver keeps one scenario's cookies. */
export interface SessionHolder<T> {
  /** Start from the stored session. */
  restore(session: T): Promise<void>
  /** Drop every cookie: the stored session was not accepted. */
  clear(): Promise<void>
  /** The session's cookies held now; undefined when there are none. */
  capture(): Promise<T | undefined>
}

/** Per running scenario: whether it started from the stored session, and its duty to fill it. */
export interface ScenarioSession<T> {
  seeded: boolean
  /**
   * The run's stored session this scenario holds (it started from it, or its login filled the
   * store): other scenarios use it too, so the server may rotate it under this one.
   */
  from?: T
  settle?: (captured?: T) => void
}

/** The scenario's start: from the stored session, unless it tests the login itself. */
export async function beginScenario<T>(
  store: SessionStore<T>,
  holder: SessionHolder<T>,
  request: Pick<BrowserAuthorizeRequest, 'freshLogin' | 'signal'>,
  deadline: number,
): Promise<ScenarioSession<T>> {
  if (request.freshLogin) return { seeded: false }
  const claim = await store.claim(deadline, request.signal)
  if (!claim.session) return { seeded: false, settle: claim.settle }
  await holder.restore(claim.session)
  return { seeded: true, from: claim.session }
}

/**
 * One authorization (`run`), from the stored session when the scenario has one. When the server
 * did not take that session, it runs again from no cookies (`retry` true), and the session that
 * login gives replaces the stored one.
 */
async function authorizeFromSession<T>(
  store: SessionStore<T>,
  holder: SessionHolder<T>,
  state: ScenarioSession<T>,
  signal: AbortSignal | undefined,
  run: (progress: LoginProgress, retry: boolean) => Promise<AuthorizeOutcome>,
): Promise<{ outcome: AuthorizeOutcome; progress: LoginProgress }> {
  let progress = freshProgress()
  let tried = await attempt(() => run(progress, false))
  if (state.from && !signal?.aborted && sessionRejected(tried, progress)) {
    await holder.clear()
    const stale = state.from
    state.seeded = false
    state.from = undefined
    progress = freshProgress()
    tried = await attempt(() => run(progress, true))
    const fresh = 'outcome' in tried && tried.outcome.redirected
    const replacement = fresh ? await holder.capture().catch(() => undefined) : undefined
    store.replace(stale, replacement)
    state.from = replacement
  }
  if ('error' in tried) throw tried.error
  return { outcome: tried.outcome, progress }
}

/**
 * The scenario's authorization (`authorizeFromSession`), saying whether it ran on the stored
 * session without logging in (the report shows it per step), and settling the store after it.
 */
export async function authorizeWithSession<T>(
  store: SessionStore<T>,
  holder: SessionHolder<T>,
  state: ScenarioSession<T>,
  signal: AbortSignal | undefined,
  run: (progress: LoginProgress, retry: boolean) => Promise<AuthorizeOutcome>,
): Promise<AuthorizeOutcome> {
  let done: { outcome: AuthorizeOutcome; progress: LoginProgress } | undefined
  try {
    done = await authorizeFromSession(store, holder, state, signal, run)
    return { ...done.outcome, sessionReused: state.seeded && !done.progress.loginSubmitted }
  } finally {
    const loggedIn = done?.outcome.redirected === true && done.progress.loginSubmitted
    await settleSession(store, holder, state, loggedIn)
  }
}

/** Only the scenario's first authorization may fill the store (see session-store.ts). */
async function settleSession<T>(
  store: SessionStore<T>,
  holder: SessionHolder<T>,
  state: ScenarioSession<T>,
  loggedIn: boolean,
): Promise<void> {
  const settle = state.settle
  state.settle = undefined
  if (!settle) return
  const captured = loggedIn ? await holder.capture().catch(() => undefined) : undefined
  settle(captured)
  // Stored now, shared with other scenarios (login-progress.ts).
  if (store.enabled) state.from ??= captured
}
