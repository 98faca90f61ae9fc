/**
 * The interface between the runner and step actions. Actions send and record; they never judge
 * (checks do that on the returned data).
 */
import type { Artifact, Exchange, ResolvedTarget, StepData } from '../types.ts'

/** One HTTP request as the actions describe it. Redirects are never followed. */
export interface HttpRequest {
  method: string
  url: string
  headers?: Record<string, string>
  body?: string
}

/** A response as the actions see it: body parsed as JSON when it is JSON, else the text. */
export interface HttpResponse {
  status: number
  /** Lower-cased names; repeated headers joined with `, `. */
  headers: Record<string, string>
  /** Parsed JSON (when the content type says JSON and it parses), else the text. */
  body: unknown
  text: string
}

/**
 * The run's HTTP client: one keep-alive agent, size and time limits, every exchange recorded.
 * A transport failure, timeout or oversized body rejects with a `HarnessError` whose message
 * says what happened; the exchange is still recorded (with `error`).
 */
export interface HttpClient {
  send(request: HttpRequest, signal?: AbortSignal): Promise<{ response: HttpResponse; exchange: Exchange }>
}

/** A client the run registered, kept so that the run can delete it at the end (RFC 7592). */
export interface LedgerEntry {
  client_id: string
  registration_client_uri?: string
  registration_access_token?: string
}

export interface CleanupLedger {
  track(entry: LedgerEntry): void
  /** Forget a client that a scenario deleted itself. */
  forget(clientId: string): void
}

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
  }>
}

/** Everything an action may use. One per step execution. */
export interface ActionContext {
  target: ResolvedTarget
  http: HttpClient
  ledger: CleanupLedger
  /** A fresh initial access token by the target's strategy; undefined for strategy `none`. */
  initialAccessToken(signal?: AbortSignal): Promise<string | undefined>
  /** Lazily started browser/HTTP-form login machinery. */
  browser(): Promise<BrowserServices>
  /** This scenario's loopback callback URL (`run.callback_url` in templates). */
  callbackUrl: string
  scenarioId: string
  /** Folder for this step's artifacts (screenshots, HTML, traces). */
  artifactsDir: string
  signal: AbortSignal
  notice(message: string): void
}

/** What an action returns: data for `steps.<id>`, the exchanges it made, its artifacts. */
export interface ActionResult {
  data: StepData
  exchanges: Exchange[]
  artifacts?: Artifact[]
}

/** An action implementation. `input` has been templated already. */
export interface Action<Input> {
  name: string
  execute(input: Input, context: ActionContext): Promise<ActionResult>
}
