/**
 * A registration sent with the run's own credentials (the target's IAT strategy: a fresh token,
 * a static one, or none) that the endpoint refuses for want of a valid token judges nothing
 * about the metadata it carried: the request never reached that stage. RFC 7591 §3 lets a server
 * require an initial access token, and RFC 6750 §3 makes such a refusal a 401 with a Bearer
 * challenge. A failing precondition says so, and the step and its scenario are inconclusive
 * with this cause, instead of one configuration gap or one token bug failing every refusal
 * scenario on requirements the server never got to (docs/verdicts.md).
 *
 * Scenarios about the token itself give it explicitly (`token: none`, `token: ${{ ... }}`, an
 * Authorization header): their refusals stay judged.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
import { bearerChallengeParams } from '../config/bearer-challenge.ts'
import { parseJsonOrUndefined } from '../http/json.ts'
import type { CheckResult, Exchange } from '../model/result.ts'

export const CREDENTIALS_REFUSED_CHECK =
  "the registration endpoint accepted the run's credentials (registration.iat)"

/**
 * Whether an exchange carried the run's credentials and was refused for them: a 401 answering
 * no token at all (RFC 9110 §15.5.2: the request lacks valid credentials), or a 401 refusing the
 * token as a token (a Bearer challenge or `invalid_token`, RFC 6750 §3.1), or a 403 whose Bearer
 * challenge names `invalid_token`. A 403 `insufficient_scope` is left judged: registration
 * policies answer content they refuse with it too (a host or a scope the client may not have).
 */
export function refusedRunCredentials(exchange: Exchange): boolean {
  const response = exchange.response
  if (!exchange.runCredentials || !response) return false
  const tokenless = exchange.request.headers['authorization'] === undefined
  const challenge = bearerChallengeParams(response.headers['www-authenticate'])
  if (response.status === 403) return challenge?.['error'] === 'invalid_token'
  if (response.status !== 401) return false
  if (tokenless || challenge !== undefined) return true
  const parsed = parseJsonOrUndefined(response.body ?? '')
  return parsed.ok && (parsed.value as { error?: unknown } | null)?.error === 'invalid_token'
}

/** The failing precondition of a step whose run credentials were refused, or none. */
export function credentialsRefusedChecks(exchanges: readonly Exchange[]): CheckResult[] {
  const refused = exchanges.find(refusedRunCredentials)
  if (!refused) return []
  const sent =
    refused.request.headers['authorization'] === undefined
      ? 'a request without a token (registration.iat: none)'
      : "the run's initial access token"
  return [
    {
      name: CREDENTIALS_REFUSED_CHECK,
      level: 'must',
      ok: false,
      message: `${refused.response!.status} to ${sent}: refused before its content was judged`,
      actual: refused.response!.status,
    },
  ]
}
