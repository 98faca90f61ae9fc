/**
 * The run's stored login session ("log in once, reuse the session"): the first scenario that
 * logs in leaves its session (the cookies of the target's origins, in the driver's own form)
 * here, and later scenarios start from it, so that their authorization requests are only
 * redirects. Scenarios that test the login itself (`login: fresh`) never use it.
 *
 * Only one login at a time may be the one that fills the store: the others wait for it to
 * settle (bounded by their own deadline) instead of logging in at the same time.
 */

export interface SessionClaim<T> {
  /** The stored session to start from; undefined: log in (and `settle` with what it gave). */
  session: T | undefined
  /** Report the session this login produced (undefined: none). Idempotent. */
  settle(captured?: T): void
}

export interface SessionStore<T> {
  /** False when reuse is turned off (`--no-session-reuse`): every claim logs in. */
  readonly enabled: boolean
  /** The stored session, or the duty to log in and settle; waits at most until `deadline`. */
  claim(deadline: number, signal?: AbortSignal): Promise<SessionClaim<T>>
  /**
   * The stored session was not accepted (a server may rotate or bind its sessions): store the
   * one a fresh login just produced instead (undefined: forget it, the next claim logs in).
   */
  replace(stale: T, fresh: T | undefined): void
}

const noop = (): void => {}

export function createSessionStore<T>(enabled: boolean): SessionStore<T> {
  let stored: T | undefined
  /** Settles when the login in flight (the one allowed to fill the store) has ended. */
  let inFlight: Promise<void> | undefined

  async function waitFor(login: Promise<void>, deadline: number, signal?: AbortSignal) {
    let timer: NodeJS.Timeout | undefined
    let onAbort = noop
    const bounded = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))
      onAbort = () => resolve()
      signal?.addEventListener('abort', onAbort, { once: true })
    })
    await Promise.race([login, bounded])
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
  }

  return {
    enabled,
    replace(stale, fresh) {
      if (stored === stale) stored = fresh
    },
    async claim(deadline, signal) {
      if (!enabled) return { session: undefined, settle: noop }
      while (stored === undefined && inFlight !== undefined && Date.now() < deadline) {
        if (signal?.aborted) break
        await waitFor(inFlight, deadline, signal)
      }
      if (stored !== undefined) return { session: stored, settle: noop }
      // Lead (or, after waiting in vain, log in alongside the leader).
      let release = noop
      const mine = new Promise<void>((resolve) => (release = resolve))
      inFlight ??= mine
      let settled = false
      return {
        session: undefined,
        settle(captured) {
          if (settled) return
          settled = true
          if (captured !== undefined) stored ??= captured
          if (inFlight === mine) inFlight = undefined
          release()
        },
      }
    },
  }
}

/**
 * The hosts whose cookies make up a stored session: the issuer's, the authorization endpoint's
 * and those of `credential_origins` (a login page on another origin). Cookies of any other host
 * (the loopback callback server's, a foreign redirect URI's) stay with their scenario.
 */
export function sessionHosts(target: {
  issuer: string
  endpoints: Record<string, string | undefined>
  credential_origins?: string[]
}): string[] {
  const urls = [target.issuer, target.endpoints['authorization_endpoint'], ...(target.credential_origins ?? [])]
  const hosts = new Set<string>()
  for (const url of urls) {
    try {
      if (url) hosts.add(new URL(url).hostname.toLowerCase())
    } catch {
      // Not a URL: no cookies of it.
    }
  }
  return [...hosts]
}

/** Whether a cookie for `domain` (a leading dot allowed) is sent to one of `hosts` (RFC 6265 §5.1.3). */
export function cookieForHosts(domain: string, hosts: readonly string[]): boolean {
  const bare = domain.replace(/^\./, '').toLowerCase()
  return hosts.some((host) => host === bare || host.endsWith(`.${bare}`))
}
