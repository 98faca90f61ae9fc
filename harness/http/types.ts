/**
 * The HTTP contract between the run's client (client.ts) and everything that sends a request:
 * actions, discovery, the IAT strategies, the login drivers. It sits here, below all of them, so
 * none of them depends on another to describe a request.
 */
import type { Exchange } from '../model/result.ts'

/** One HTTP request as the actions describe it. Redirects are never followed. */
export interface HttpRequest {
  method: string
  url: string
  headers?: Record<string, string>
  body?: string
  /**
   * The cleartext registration probe (actions/fixtures/plain-http-probe.ts): it alone may carry
   * credentials to the origins a target's `plain_http_probe` opens (origin-policy.ts).
   */
  cleartextProbe?: true
  /**
   * The request carries the run's own registration credentials (the target's registration.iat;
   * no token for strategy none), not a token a scenario chose: recorded on the exchange, so a
   * refusal of them judges nothing else (verdicts/credentials-refused.ts).
   */
  runCredentials?: true
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
