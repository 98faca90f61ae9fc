/**
 * The interface between the runner and step actions. Actions send and record; they never judge
 * (checks do that on the returned data).
 */
import type { ResolvedTarget } from '../model/target.ts'
import type { StepData, Exchange, Artifact } from '../model/result.ts'
import type { HttpClient } from '../http/types.ts'
import type { BrowserServices } from '../browser/types.ts'

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
