/**
 * Types shared by the login drivers (Playwright and HTTP-form) and the services that pick one.
 */
import type { BrowserServices } from '../actions/action.ts'

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
