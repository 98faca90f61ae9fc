/**
 * Scenario documents: one YAML file under suites/ after parsing, before templating
 * (the format is harness/scenario/scenario.schema.json).
 */

/** `must` fails a scenario, `should` warns, `may` informs (RFC 2119 keywords of the requirement). */
export type Level = 'must' | 'should' | 'may'

/** One scenario file under `suites/`. `id` equals the path under `suites/` without extension. */
export interface ScenarioDoc {
  id: string
  title: string
  description?: string
  /** Requirement IDs from `suites/requirements.yaml`. */
  requirements: string[]
  /** Capabilities from `suites/capabilities.yaml`; unmet means the scenario is skipped. */
  requires?: string[]
  /**
   * Capabilities under which the scenario does not apply (skipped when the target declares any):
   * e.g. `pkce_required` for a scenario that needs PKCE to be optional.
   */
  unless?: string[]
  tags?: string[]
  /** Scenario time budget in milliseconds (overrides `--timeout`). */
  timeout?: number
  /**
   * `fresh`: the scenario tests the login itself (login page, prompts, max_age, auth_time,
   * consent), so it never starts from the run's stored login session. Default `reuse`.
   */
  login?: 'fresh' | 'reuse'
  steps: StepDoc[]
  /** Steps that always run after `steps`, whatever happened. */
  cleanup?: StepDoc[]
}

/** The names of the step actions. A step has exactly one of these keys. */
export const ACTION_NAMES = ['token', 'register', 'http', 'authorize', 'parallel', 'use'] as const
export type ActionName = (typeof ACTION_NAMES)[number]

/** A step: an id, one action (its input under the action's key) and expectations. */
export interface StepDoc {
  id: string
  title?: string
  token?: TokenInput
  register?: RegisterInput
  http?: HttpInput
  authorize?: AuthorizeInput
  parallel?: ParallelInput
  use?: UseInput
  /** One expectation or a list; each becomes one or more checks. */
  expect?: Expectation | Expectation[]
  /**
   * Default requirement of this step's checks. Without it (and without one on the expectation)
   * a check is a precondition: it proves nothing, it only sets the stage (docs/verdicts.md).
   */
  requirement?: string
  /** Default level of this step's checks (else `must`). */
  level?: Level
  /** Keep running the next steps even when a `must` check of this step failed. */
  continue?: boolean
  /**
   * Run the step only when `subject` matches `is` (after earlier steps): otherwise the step is
   * skipped as not applicable and the scenario goes on. For rules a server may meet in more
   * than one way, e.g. "refused at registration, or registered and refused at the token
   * endpoint" (docs/verdicts.md).
   */
  when?: { subject: unknown; is: unknown }
}

/**
 * `token` action: obtain a token from the token endpoint.
 * `purpose: initial-access-token` runs the target's IAT strategy (a fresh token every call).
 * Otherwise a grant is sent with the client's credentials and auth method.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 */
export interface TokenInput {
  /**
   * `initial-access-token`: the target's IAT strategy. `token-without-registration-scope`: the
   * same client, asking for `other_scope` instead (client_credentials strategy only).
   */
  purpose?: 'initial-access-token' | 'token-without-registration-scope'
  grant_type?: 'client_credentials' | 'authorization_code' | 'refresh_token' | string
  /** A registered client: usually `${{ steps.reg.body }}` (client_id, client_secret, token_endpoint_auth_method). */
  client?: ClientCredentials
  /** Override the auth method (`client_secret_basic`, `client_secret_post`, `none`, `private_key_jwt`). */
  auth_method?: string
  scope?: string
  code?: string
  code_verifier?: string
  redirect_uri?: string
  refresh_token?: string
  /** Extra form parameters; a value of `null` removes a parameter the action would send. */
  params?: Record<string, string | null>
}

/** The parts of a registered client the harness needs to authenticate as it. */
export interface ClientCredentials {
  client_id: string
  client_secret?: string
  token_endpoint_auth_method?: string
  /** Private JWK for `private_key_jwt`. */
  private_jwk?: Record<string, unknown>
  [member: string]: unknown
}

/**
 * `register` action: POST client metadata to the registration endpoint.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.1
 */
export interface RegisterInput {
  /**
   * Bearer token: a string, `none` (no Authorization header) or `auto` (default: a fresh IAT
   * by the target's strategy when it requires one, else none).
   */
  token?: string
  metadata?: Record<string, unknown>
  /** Send this raw body instead of JSON-serialised metadata (malformed-input tests). */
  raw_body?: string
  content_type?: string
  headers?: Record<string, string>
  /** Override the registration endpoint URL. */
  url?: string
  /** Record the client in the cleanup ledger (default true). */
  track?: boolean
}

/** `http` action: one HTTP request, redirects not followed. */
export interface HttpInput {
  method?: string
  url: string
  headers?: Record<string, string>
  query?: Record<string, string>
  /** JSON body (sets Content-Type: application/json unless given). */
  json?: unknown
  /** Form body (application/x-www-form-urlencoded); an array repeats the parameter (RFC 8707 §2). */
  form?: Record<string, string | string[]>
  /** Raw body as a string. */
  body?: string
  /** `bearer: TOKEN` or `basic: [user, password]`. */
  auth?: { bearer?: string; basic?: [string, string] }
}

/**
 * `authorize` action: build an authorization request for a registered client, log in, and
 * capture where the server sends the browser.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 */
export interface AuthorizeInput {
  client: ClientCredentials
  /** Default: the client's first registered redirect URI, else `run.callback_url`. */
  redirect_uri?: string
  scope?: string
  response_type?: string
  /** `true` (S256, default), `false` (no PKCE), or `{ method: 'plain'|'S256', verifier? }`. */
  pkce?: boolean | { method?: string; verifier?: string }
  state?: string | null
  nonce?: string | null
  prompt?: string
  /**
   * Extra query parameters; `null` removes one, a list repeats it (several `resource`s).
   * @see https://www.rfc-editor.org/rfc/rfc8707#section-2
   */
  params?: Record<string, string | readonly string[] | null>
  /** Complete the login (default true); false just sends the request and captures the answer. */
  login?: boolean
}

/** `parallel` action: N copies of one request released together; every result recorded. */
export interface ParallelInput {
  count: number
  register?: RegisterInput
  http?: HttpInput
  token?: TokenInput
}

/** `use` action: a named TypeScript fixture (see harness/actions/fixtures/). */
export interface UseInput {
  fixture: string
  with?: Record<string, unknown>
}

/**
 * An expectation: data that becomes checks. Every present key among `status`, `headers`,
 * `body`, `schema`, `query`, `subject` is one check against the step's result.
 * Values may contain `$`-matchers (`$type`, `$match`, `$in`, `$not`, `$absent`, `$present`,
 * `$gte`, `$lte`, `$gt`, `$lt`, `$length`, `$contains`, `$count`, `$eq`, `$anyOf`, `$allOf`, `$each`).
 */
export interface Expectation {
  status?: unknown
  headers?: Record<string, unknown>
  /** Subset match against the body: extra members are allowed, arrays match in order. */
  body?: unknown
  /** Name of a JSON Schema under `fixtures/schemas/` (without `.schema.json`). */
  schema?: string
  query?: Record<string, unknown>
  /** Any templated value, checked against `is`. */
  subject?: unknown
  is?: unknown
  /**
   * The request was refused (harness/checks/refusal.ts): nothing created or issued, and a 4xx or
   * an OAuth `error` member, whatever the status says beyond that (RFC 7591 §3.2.2's matter).
   */
  refused?: true
  /** Human name of the check (defaults to a description of what it checks). */
  name?: string
  /** The requirement this check proves. Without one the check is a precondition. */
  requirement?: string
  level?: Level
  /** Why the level differs from the catalog level of `requirement` (the level lint wants one). */
  level_reason?: string
  /**
   * Preconditions only: the catalog requirement that an answer failing this precondition itself
   * violates, named in the inconclusive verdict (it is not a verdict on that requirement).
   */
  violates?: string
  /**
   * A path into the step's data (`body.at_hash`, `headers.x-frame-options`, `query.iss`): when
   * nothing is there the check is not applicable (never passed).
   */
  when_present?: string
}
