/**
 * The registration half of `run`'s preflight (preflight.ts has the IAT half). The `static` and
 * `none` strategies obtain nothing over the network, so nothing has shown yet that the endpoint
 * takes the configured access: a wrong static token, or a bare issuer URL for a server that
 * needs a token, would otherwise fail every registration and be reported as the server's
 * non-conformance. One request tells: a registration whose body is not JSON, with the configured
 * access. It can register nothing, so it leaves no client behind. A 401 or 403 is configuration
 * (`E_IAT`, exit 3, one line); any other answer says nothing (a server may read the body before
 * the token) and the run goes on.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.1
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
import { HarnessError } from '../errors.ts'
import type { HttpClient } from '../http/types.ts'
import type { ResolvedTarget } from '../model/target.ts'

/** Not JSON: no server can register a client from it. */
const UNREGISTRABLE_BODY = '{'

/** Whether the run's access to the registration endpoint is checked before any scenario. */
function checked(target: ResolvedTarget): 'static' | 'none' | undefined {
  const strategy = target.registration?.iat?.strategy ?? 'none'
  if (strategy === 'static') return strategy
  // A target that declares open registration has it judged (initial-access-token/open-registration).
  if (strategy === 'none' && !target.capabilities.includes('open_registration')) return strategy
  return undefined
}

/** Throws `E_IAT` when the registration endpoint refuses the configured access (401, 403). */
export async function preflightRegistration(
  target: ResolvedTarget,
  http: HttpClient,
  signal?: AbortSignal,
): Promise<void> {
  const strategy = checked(target)
  const endpoint = target.endpoints['registration_endpoint']
  if (!strategy || !endpoint) return
  const iat = target.registration?.iat
  const token = iat?.strategy === 'static' ? iat.token : undefined
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (token) headers['authorization'] = `Bearer ${token}`
  let status: number
  try {
    const request = { method: 'POST', url: endpoint, headers, body: UNREGISTRABLE_BODY }
    status = (await http.send(request, signal)).response.status
  } catch {
    return // no answer: the scenarios show it, each with its root cause
  }
  if (status !== 401 && status !== 403) return
  throw new HarnessError('E_IAT', refusal(target.name, strategy, endpoint, status))
}

function refusal(name: string, strategy: 'static' | 'none', endpoint: string, status: number) {
  if (strategy === 'static') {
    return (
      `target '${name}': the registration endpoint ${endpoint} answered ${status} to the ` +
      'static initial access token; fix: check registration.iat.token'
    )
  }
  return (
    `target '${name}': the registration endpoint ${endpoint} answered ${status} to a ` +
    'registration without a token: it needs an initial access token; fix: set registration.iat ' +
    'in targets.yaml (or declare open_registration to have its refusal judged)'
  )
}
