/**
 * doctor's checks that register: whether the registration endpoint needs an initial access token
 * (RFC 7591 §3: a registration without one gets 401), whether the IAT strategy really obtains a
 * token and whether a token is one-time, and whether the login recipe reaches the callback with
 * the chosen driver. They use the engine's own actions, so doctor sees what a run would.
 */
import type { ActionContext } from '../actions/action.ts'
import { authorizeAction } from '../actions/authorize.ts'
import { registerAction } from '../actions/register.ts'
import { iatFor } from '../actions/iat-context.ts'
import { causedBy, iatProblem } from '../config/preflight.ts'
import { HarnessError } from '../errors.ts'
import { REFUSAL_WORDING } from '../http/origin-policy.ts'
import type { ClientCredentials } from '../model/scenario.ts'
import type { StepData } from '../model/result.ts'
import type { ProbeFacts } from './capability-hints.ts'
import type { Finding } from './doctor-discovery.ts'

export interface RegistrationFindings {
  findings: Finding[]
  facts: ProbeFacts
}

const LOGIN_FIX = 'check login.steps in targets.yaml; watch it with --login-driver browser --headed'
const ORIGIN_FIX =
  "if that origin is the server's own login page, add it to credential_origins in targets.yaml"
const LINK_LOCAL_FIX =
  "if that address really is the server's, set allow_link_local: true in targets.yaml"

/** The fix for a failed login: an origin refusal (http/origin-policy.ts) names its own key. */
export function loginFix(error: unknown): string {
  if (!causedBy(error, 'E_ORIGIN')) return LOGIN_FIX
  const message = error instanceof Error ? error.message : String(error)
  if (message.includes(REFUSAL_WORDING.foreignOrigin)) return ORIGIN_FIX
  if (message.includes(REFUSAL_WORDING.linkLocal)) return LINK_LOCAL_FIX
  return LOGIN_FIX
}

function metadataFor(context: ActionContext): Record<string, unknown> {
  return {
    client_name: 'dcr-conformance doctor',
    redirect_uris: [context.callbackUrl],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    ...(context.target.scope ? { scope: context.target.scope } : {}),
  }
}

async function register(context: ActionContext, token: string): Promise<StepData> {
  const input = { token, metadata: metadataFor(context) }
  return (await registerAction.execute(input, context)).data
}

/** The registered client, when the answer was a 2xx with a client_id. */
function created(data: StepData): ClientCredentials | undefined {
  const body = data.body as Record<string, unknown> | undefined
  const status = data.status ?? 0
  if (status < 200 || status >= 300 || typeof body?.['client_id'] !== 'string') return undefined
  return body as unknown as ClientCredentials
}

/** RFC 7592 §3: the response names the client configuration endpoint and its token. */
function rfc7592(client: ClientCredentials): boolean {
  const body = client as unknown as Record<string, unknown>
  return (
    typeof body['registration_access_token'] === 'string' &&
    typeof body['registration_client_uri'] === 'string'
  )
}

function snippet(value: unknown): string {
  return JSON.stringify(value ?? null).slice(0, 200)
}

/** Registration without a token, then with the strategy's token (twice), then a login. */
export async function checkRegistration(
  context: ActionContext,
  loginWanted: boolean,
): Promise<RegistrationFindings> {
  const findings: Finding[] = []
  const facts: ProbeFacts = {}
  const endpoint = context.target.endpoints['registration_endpoint']
  if (!endpoint) {
    findings.push({
      check: 'registration',
      status: 'fail',
      message: 'no registration_endpoint in discovery',
      fix: 'set endpoints.registration_endpoint in targets.yaml',
      error: new HarnessError(
        'E_DISCOVERY',
        `target '${context.target.name}' has no registration_endpoint`,
      ),
    })
    return { findings, facts }
  }
  const open = await register(context, 'none')
  let client = created(open)
  findings.push(judgeOpenRegistration(context, endpoint, open, client, facts))
  if ((context.target.registration?.iat?.strategy ?? 'none') !== 'none') {
    const iat = await checkIat(context, facts)
    findings.push(iat.finding)
    if (!iat.client && iat.finding.status === 'fail') return { findings, facts }
    client = iat.client ?? client
  }
  if (loginWanted) findings.push(await checkLogin(context, client, facts))
  else {
    findings.push({
      check: 'login',
      status: 'skip',
      message: 'no login recipe: code-flow scenarios need capability user_login',
      fix: 'add login: { username, password, steps } to the target and declare user_login',
    })
  }
  return { findings, facts }
}

/** What a registration without any token says about the endpoint. */
function judgeOpenRegistration(
  context: ActionContext,
  endpoint: string,
  open: StepData,
  client: ClientCredentials | undefined,
  facts: ProbeFacts,
): Finding {
  const strategy = context.target.registration?.iat?.strategy ?? 'none'
  if (open.status === 401 || open.status === 403) {
    facts.iatRequired = true
    if (strategy !== 'none') {
      const message = `${endpoint} needs an initial access token (${open.status} without one)`
      return { check: 'registration', status: 'ok', message }
    }
    return {
      check: 'registration',
      status: 'fail',
      message:
        `${endpoint} answered ${open.status} to a registration without a token: it needs an ` +
        'initial access token, and registration.iat is not set',
      fix:
        'set registration.iat in targets.yaml (strategy client_credentials, command, static or ' +
        'authorization_code) and declare iat_required',
      error: new HarnessError(
        'E_IAT',
        `target '${context.target.name}': the registration endpoint needs an initial access ` +
          `token (${open.status} without one): set registration.iat in targets.yaml`,
      ),
    }
  }
  if (client) {
    facts.iatRequired = false
    facts.rfc7592 = rfc7592(client)
    const message = `${endpoint} registers without a token (open registration, ${open.status})`
    return { check: 'registration', status: 'ok', message }
  }
  return {
    check: 'registration',
    status: 'hint',
    message: `${endpoint} answered ${open.status} to a minimal registration without a token: ${snippet(open.body)}`,
    fix: 'the run registers similar clients: check what the server wants (scope, grant types, software statement)',
  }
}

/** A token by the strategy; a registration with it; a second one with the same token. */
async function checkIat(
  context: ActionContext,
  facts: ProbeFacts,
): Promise<{ finding: Finding; client?: ClientCredentials }> {
  const strategy = context.target.registration?.iat?.strategy ?? 'none'
  let token: string | undefined
  try {
    token = (await iatFor(context, 'initial-access-token')).token
  } catch (error) {
    // The very line `run` stops with (config/preflight.ts).
    const line = iatProblem(context.target, error)
    const finding: Finding = { check: 'iat', status: 'fail', message: line }
    return { finding: { ...finding, error: new HarnessError('E_IAT', line) } }
  }
  if (!token) return { finding: { check: 'iat', status: 'ok', message: `${strategy}: no token` } }
  const first = await register(context, token)
  const client = created(first)
  if (!client) {
    return {
      finding: {
        check: 'iat',
        status: 'fail',
        message: `${strategy} obtained a token, but a registration with it answered ${first.status}: ${snippet(first.body)}`,
        fix: registeringTokenFix(strategy),
        error: new HarnessError(
          'E_IAT',
          `target '${context.target.name}': a registration with the strategy's token answered ${first.status}`,
        ),
      },
    }
  }
  facts.rfc7592 = rfc7592(client)
  const again = await register(context, token)
  facts.iatOneTime = !created(again)
  const reuse = facts.iatOneTime
    ? `one-time (a second registration got ${again.status})`
    : 'reusable (a second registration succeeded)'
  const message = `${strategy} obtained a token that registers; it is ${reuse}`
  return { finding: { check: 'iat', status: 'ok', message }, client }
}

/** The setting that decides whether the strategy's token may register. */
export function registeringTokenFix(strategy: string): string {
  if (strategy === 'static') {
    return 'check registration.iat.token: the token must allow registration'
  }
  if (strategy === 'command') {
    return 'check registration.iat.command: the token it prints must allow registration'
  }
  return 'check registration.iat.scope: the token must allow registration'
}

/** One authorization request for the registered client, with the chosen driver. */
async function checkLogin(
  context: ActionContext,
  client: ClientCredentials | undefined,
  facts: ProbeFacts,
): Promise<Finding> {
  if (!client) {
    return { check: 'login', status: 'skip', message: 'no client registered to log in with' }
  }
  let data: StepData
  try {
    data = (await authorizeAction.execute({ client }, context)).data
  } catch (error) {
    facts.userLogin = false
    const message = (error as Error).message.replace(/\s+/g, ' ')
    const cause = error instanceof HarnessError ? error : new HarnessError('E_LOGIN', message)
    // A login page on another origin is refused before the password leaves (origin-policy.ts):
    // the recipe is fine, the origin is not yet trusted.
    return { check: 'login', status: 'fail', message, fix: loginFix(error), error: cause }
  }
  const query = data.query ?? {}
  const driver = String(data['driver'])
  facts.userLogin = data['redirected'] === true && typeof query['code'] === 'string'
  if (facts.userLogin) {
    const message = `the ${driver} driver reached the callback with a code`
    return { check: 'login', status: 'ok', message }
  }
  const where =
    data['redirected'] === true
      ? `the server redirected with error=${query['error'] ?? '(none)'} ${query['error_description'] ?? ''}`.trim()
      : `it ended at ${String(data['url'])} (HTTP ${String(data['status'] ?? '?')}), never at the callback`
  return {
    check: 'login',
    status: 'fail',
    message: `the ${driver} driver did not get a code: ${where}`,
    fix: LOGIN_FIX,
    error: new HarnessError(
      'E_LOGIN',
      `target '${context.target.name}': the login recipe did not reach the callback with a code (${driver} driver)`,
    ),
  }
}
