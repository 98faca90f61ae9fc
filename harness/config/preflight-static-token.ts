/**
 * The static-token half of `run`'s preflight (preflight.ts has the token strategies'). A static
 * initial access token is never sent anywhere before the first scenario, so nothing has shown
 * yet that the registration endpoint takes it: a wrong one would fail every registration, each
 * reported as the server's non-conformance. One request tells: a registration whose body is not
 * JSON, with the token. A 401 or 403 that refuses the token itself (bearer-challenge.ts
 * refusesBearerToken) is configuration: `E_IAT`, exit 3, one line. Any other answer says
 * nothing (a server may read the body first; a gateway may refuse the body) and the run goes
 * on. A static token is reusable by definition (every registration of the run sends it).
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.1
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
import { HarnessError } from '../errors.ts'
import { refusesBearerToken } from './bearer-challenge.ts'
import type { HttpClient, HttpResponse } from '../http/types.ts'
import type { ResolvedTarget } from '../model/target.ts'

/** Not JSON: no server should register a client from it. */
const UNREGISTRABLE_BODY = '{'

/**
 * Throws `E_IAT` when the registration endpoint refuses the static token. `onRegistered` gets a
 * 2xx answer's body: a server that registered a client even so must have it deleted with the rest.
 */
export async function preflightStaticToken(
  target: ResolvedTarget,
  http: HttpClient,
  options: { signal?: AbortSignal; onRegistered?: (body: unknown) => void } = {},
): Promise<void> {
  const iat = target.registration?.iat
  const endpoint = target.endpoints['registration_endpoint']
  if (iat?.strategy !== 'static' || !endpoint) return
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${iat.token}` }
  let response: HttpResponse
  try {
    const request = { method: 'POST', url: endpoint, headers, body: UNREGISTRABLE_BODY }
    response = (await http.send(request, options.signal)).response
  } catch {
    return // no answer: the scenarios show it, each with its root cause
  }
  if (response.status >= 200 && response.status < 300) options.onRegistered?.(response.body)
  if (!refusesBearerToken(response)) return
  throw new HarnessError(
    'E_IAT',
    `target '${target.name}': the registration endpoint ${endpoint} answered ${response.status} ` +
      'to the static initial access token; fix: check registration.iat.token',
  )
}
