/**
 * Types shared by the login drivers (Playwright and HTTP-form) and the services that pick one.
 */
import type { Artifact, Exchange } from '../model/result.ts'

/** Login drivers and the loopback callback server (implemented in harness/browser/). */
export interface BrowserServices {
  /** Complete an authorization request: open `url`, log in, return where the server sent the browser. */
  authorize(request: {
    url: string
    redirectUri: string
    login: boolean
    scenarioId: string
    signal?: AbortSignal
  }): Promise<{
    /** The final URL the browser was sent to (callback URL, or the server's page). */
    url: string
    /** Whether the server redirected to the redirect URI. */
    redirected: boolean
    /** Query and fragment parameters of the callback. */
    query: Record<string, string>
    driver: 'browser' | 'http'
    exchanges: Exchange[]
    artifacts: Artifact[]
    /** Status and body of the server's page when it did not redirect. */
    status?: number
    body?: string
    /** It started from the run's stored login session (another scenario's login) and did not log in. */
    sessionReused?: boolean
    /**
     * Statuses of the redirects that answered the login form POST (credential-redirects.ts), set
     * by the run's services; RFC 9700 §4.12 forbids 307 there.
     */
    credentialRedirectStatuses?: number[]
  }>
}

/** What `BrowserServices.authorize` takes. */
export type AuthorizeRequest = Parameters<BrowserServices['authorize']>[0]

/** What `BrowserServices.authorize` returns. */
export type AuthorizeOutcome = Awaited<ReturnType<BrowserServices['authorize']>>

/**
 * An authorization request as our services accept it: the contract's request plus the folder
 * where screenshots, page HTML and traces go (the step's artifacts folder).
 */
export interface BrowserAuthorizeRequest extends AuthorizeRequest {
  artifactsDir?: string
  /**
   * The scenario tests the login itself (`login: fresh`): it never starts from the run's stored
   * session, and its login never fills the store.
   */
  freshLogin?: boolean
}

/** A login driver: one per run, keeps per-scenario state (browser context or cookie jar). */
export interface LoginDriver {
  readonly kind: 'browser' | 'http'
  authorize(request: BrowserAuthorizeRequest): Promise<AuthorizeOutcome>
  /** Forget the scenario's session (browser context or cookie jar). */
  releaseScenario(scenarioId: string): Promise<void>
  close(): Promise<void>
}
