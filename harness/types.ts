/**
 * Shared types of the harness: scenario documents, targets, step results, checks and the report.
 * Every other module builds on these; change them only with care (the JSON report is a contract).
 */

/** `must` fails a scenario, `should` warns, `may` informs (RFC 2119 keywords of the requirement). */
export type Level = 'must' | 'should' | 'may'

/**
 * Outcome of a step or scenario (docs/verdicts.md). `inconclusive`: a precondition (a check that
 * names no requirement) did not hold, so what the scenario is about could not be tested.
 */
export type Outcome = 'passed' | 'failed' | 'warned' | 'inconclusive' | 'skipped' | 'errored'

// ---------------------------------------------------------------------------------------------
// Scenario documents (YAML, after parsing; before templating)
// ---------------------------------------------------------------------------------------------

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
  /** Extra query parameters; `null` removes one. */
  params?: Record<string, string | null>
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

// ---------------------------------------------------------------------------------------------
// Targets (targets.yaml, after loading; secrets already taken from the environment)
// ---------------------------------------------------------------------------------------------

/** How the harness obtains an initial access token (IAT) for registration. */
export type IatStrategy =
  | { strategy: 'none' }
  | { strategy: 'static'; token: string }
  | { strategy: 'command'; command: string; timeout_ms?: number }
  | {
      strategy: 'client_credentials'
      client_id: string
      client_secret: string
      /** Default `client_secret_basic`. */
      auth_method?: 'client_secret_basic' | 'client_secret_post'
      /** Default `dcr`. */
      scope?: string
      /** A scope this client may obtain that does not allow registration (insufficient_scope tests). */
      other_scope?: string
    }
  | {
      strategy: 'authorization_code'
      client_id: string
      client_secret?: string
      redirect_uri?: string
      scope?: string
    }

/** A declarative login step of a recipe. */
export type LoginStep =
  | { fill: { label?: string; selector?: string; value: string } }
  | { click: { role?: string; name?: string; selector?: string; optional?: boolean } }
  | { wait: { url?: string; selector?: string; timeout_ms?: number } }

/** How to log in at the target's authorization endpoint. */
export interface LoginRecipe {
  username?: string
  password?: string
  steps?: LoginStep[]
  /**
   * An ES module exporting `login(page, ctx)` for unusual login pages: JavaScript, or TypeScript
   * on a Node.js that strips types (22.18 or newer).
   */
  script?: string
  /** Name of a consent button clicked when present. */
  consent?: { role?: string; name?: string; selector?: string }
}

/** A target as configured in targets.yaml (after environment substitution). */
export interface TargetConfig {
  name: string
  /** Empty in targets.yaml when `mcp_server` is given: then found by MCP discovery. */
  issuer: string
  /**
   * The MCP server (protected resource) in front of the authorization server: the suites/mcp/
   * group discovers from it (harness/config/mcp-discovery.ts); without `issuer` the issuer too.
   */
  mcp_server?: string
  /** Overrides of discovered endpoints (`registration_endpoint`, `token_endpoint`, ...). */
  endpoints?: Record<string, string>
  registration?: { iat?: IatStrategy }
  capabilities?: string[]
  /**
   * Scope the test clients register and ask for (`target.scope` in scenarios). Default: `openid`
   * when the target declares capability `oidc`; else the first `scopes_supported` value of the
   * discovery document other than `openid`; else unset, and a scenario using `target.scope`
   * errors naming it (E_TEMPLATE). Never an empty string by default.
   * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
   */
  scope?: string
  login?: LoginRecipe
  /**
   * Authorization requests of this target: extra query parameters sent with every request
   * (scenario parameters win), e.g. `{ prompt: consent }` where refresh tokens need consent.
   * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
   */
  authorization?: { params?: Record<string, string> }
  /** The loopback callback server: a fixed port for servers that register an exact port. */
  callback?: { port?: number }
  /**
   * Origins besides the issuer's that may receive the target's credentials (IAT client secret,
   * IATs, RATs, client secrets, codes, refresh tokens, passwords): e.g. a token endpoint or login
   * page on another host. Discovery alone never makes an origin trusted.
   */
  credential_origins?: string[]
  /** Allow link-local and cloud metadata addresses (refused by default, for every request). */
  allow_link_local?: boolean
  tls?: { ca?: string; insecure?: boolean }
  limits?: { max_response_bytes?: number; request_timeout_ms?: number; concurrency?: number }
  expectations?: string
  /** Path to a Chrome/Chromium executable for this target's browser steps. */
  browser?: string
  /**
   * Target-specific test data scenarios may read as `${{ target.data.NAME }}`: template client
   * ids, software-statement keys, management-client credentials, privileged scopes, ...
   */
  data?: Record<string, unknown>
}

/** A target ready to run against: discovery done, endpoints resolved. */
export interface ResolvedTarget extends TargetConfig {
  /** The discovery document (OpenID form if found, else RFC 8414). */
  metadata: Record<string, unknown>
  /** Endpoints by metadata name, e.g. `registration_endpoint`, `token_endpoint`. */
  endpoints: Record<string, string>
  capabilities: string[]
}

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

/** What an action returns for later steps and for checks (`steps.<id>.…`). */
export interface StepData {
  status?: number
  /** Lower-cased header names. */
  headers?: Record<string, string>
  body?: unknown
  /** Query (and fragment) parameters of a captured redirect. */
  query?: Record<string, string>
  [key: string]: unknown
}

/** A recorded HTTP request/response pair (redacted before reporters see it). */
export interface Exchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: string }
  response?: {
    status: number
    headers: Record<string, string>
    body?: string
    truncated?: boolean
  }
  error?: string
  durationMs: number
}

export interface Artifact {
  name: string
  path: string
  contentType: string
}

/**
 * One check. With `requirement` it is a verdict on that requirement; without, a precondition.
 * `notApplicable` (with `ok: true`) says why the check did not apply (a `when_present` feature
 * was absent); `excused` carries the reason of the expectation that excuses its failure.
 */
export interface CheckResult {
  name: string
  level: Level
  ok: boolean
  requirement?: string
  /** Preconditions: the requirement an answer failing this check violates. */
  violates?: string
  notApplicable?: string
  excused?: string
  message?: string
  expected?: unknown
  actual?: unknown
}

export interface StepResult {
  id: string
  title?: string
  action: ActionName
  outcome: Outcome
  durationMs: number
  checks: CheckResult[]
  exchanges: Exchange[]
  artifacts: Artifact[]
  /** Set when outcome is `errored` or `skipped`. */
  message?: string
  /** The line of the step in its scenario file (annotations, failure text). */
  line?: number
  /** `authorize` steps: which login driver ran the step. */
  driver?: 'browser' | 'http'
  /**
   * `authorize` steps: true when the step started from the run's stored login session (another
   * scenario's login) and did not log in itself; false when it logged in or had no session.
   */
  sessionReused?: boolean
}

export interface ScenarioResult {
  id: string
  title: string
  file: string
  requirements: string[]
  tags: string[]
  outcome: Outcome
  durationMs: number
  /** Why the scenario was skipped, errored or inconclusive. */
  message?: string
  /** For an inconclusive scenario: the precondition that did not hold (docs/verdicts.md). */
  blocker?: Blocker
  /**
   * The run ended before this scenario ran or finished (interrupted, `--bail`, or the run could
   * not start): it is `skipped`, and its requirements are untested, never not-applicable.
   */
  notRun?: true
  steps: StepResult[]
}

/**
 * Where an inconclusive scenario stopped: the step, its action, what came back, and the
 * requirement that answer itself violates when the catalog has one. Scenarios with the same
 * `cause` share one root cause.
 */
export interface Blocker {
  step: string
  action: ActionName
  /** What the step got instead of what the next step needs, e.g. `status: expected 2xx, got 400`. */
  answer: string
  /** Grouping key: the action and the unexpected answer. */
  cause: string
  violates?: string
}

/** One root cause of inconclusive scenarios: one server behaviour that blocked them all. */
export interface RootCause {
  cause: string
  action: ActionName
  answer: string
  violates?: string
  scenarios: string[]
}

/** The verdict on one requirement (docs/verdicts.md). */
export type RequirementVerdictName =
  | 'pass'
  | 'fail'
  | 'warn'
  | 'inconclusive'
  | 'not-applicable'
  | 'untested'

/** A requirement's verdict with the scenarios and checks behind it. */
export interface RequirementVerdict {
  id: string
  title?: string
  level?: Level
  /** Where the requirement is written (`RFC 7591 §3.2.1`) and a link to that section. */
  source?: string
  url?: string
  verdict: RequirementVerdictName
  /** Every failure behind a `fail`/`warn` verdict is excused by the expectations file. */
  excused?: boolean
  scenarios: string[]
  checks: { scenario: string; step: string; check: string; ok: boolean; notApplicable?: boolean }[]
}

/**
 * A known deviation (expectations file) and what became of it in the run: `met` it excused at
 * least one failure, `stale` what it excuses was tested and holds now, `unused` not tested.
 */
export interface ExpectationOutcome {
  requirement: string
  scenario?: string
  check?: string
  reason: string
  state: 'met' | 'stale' | 'unused'
}

export interface ReportCounts {
  total: number
  passed: number
  failed: number
  warned: number
  inconclusive: number
  skipped: number
  errored: number
}

/** Which shard of which plan a sharded run was (`--shard I/N`); `plan` hashes the whole plan. */
export interface ShardOfPlan {
  index: number
  total: number
  plan: string
}

/** The JSON report, `schemaVersion: 1` (DESIGN §2; schema in reporters/report.schema.json). */
export interface Report {
  schemaVersion: 1
  tool: { name: string; version: string }
  target: { name: string; issuer: string }
  startedAt: string
  durationMs: number
  seed: number
  /**
   * `errored` also when the run could not start (discovery failed, a harness fault);
   * `interrupted` when SIGINT/SIGTERM stopped it. Both exit 3.
   */
  status: 'passed' | 'failed' | 'errored' | 'interrupted'
  /** Why the run is `errored` or `interrupted` when no scenario says it (one line). */
  reason?: string
  /** Set on the report of a sharded run (never on a merged one). */
  shard?: ShardOfPlan
  counts: ReportCounts
  scenarios: ScenarioResult[]
  /** The verdict per requirement the run touched. */
  requirements: RequirementVerdict[]
  /** Inconclusive scenarios grouped by root cause, largest first. */
  rootCauses: RootCause[]
  /** The expectations file's entries and what became of them. */
  expectations?: ExpectationOutcome[]
  /** Facts the verdicts do not cover (e.g. transport security on a plain-http target). */
  caveats?: string[]
  /** Clients the run registered and could not delete. */
  leftovers?: { client_id: string; reason: string }[]
  /** Run-level notices (insecure TLS, browser fallback, ...). */
  notices?: string[]
}

// ---------------------------------------------------------------------------------------------
// Reporter lifecycle (events are redacted before a reporter sees them)
// ---------------------------------------------------------------------------------------------

export interface RunInfo {
  target: { name: string; issuer: string }
  seed: number
  planned: number
  startedAt: string
  /** The ids of the planned scenarios (the console groups its non-TTY output by folder). */
  scenarios?: string[]
}

export interface Reporter {
  onRunStart?(info: RunInfo): void | Promise<void>
  onScenarioStart?(scenario: { id: string; title: string }): void | Promise<void>
  onScenarioEnd?(result: ScenarioResult): void | Promise<void>
  onNotice?(message: string): void | Promise<void>
  onRunEnd(report: Report): void | Promise<void>
}
