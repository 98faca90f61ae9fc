/**
 * Redirects that answered a request carrying the user's credentials (the login form POST): RFC
 * 9700 §4.12 forbids 307 for them, wherever they point, since the browser sends the method and
 * body again. A 307 answering a later GET (say the authorization endpoint after the login)
 * re-sends no body and is allowed.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.12
 */
import type { Exchange } from '../model/result.ts'
import { SCRUBBED_PASSWORD } from '../browser/scrub.ts'

/**
 * The statuses of the 3xx responses to POSTs whose body held the login password. The drivers
 * hand over exchanges with the password already scrubbed (browser/scrub.ts), so a body holds it
 * where the scrub mark stands. Without a configured password (a login script or recipe steps
 * the harness cannot read) nothing was scrubbed, and every POST of the authorization counts:
 * each potentially holds the credentials.
 */
export function credentialRedirectStatuses(
  exchanges: readonly Exchange[],
  passwordConfigured: boolean,
): number[] {
  const statuses: number[] = []
  for (const { request, response } of exchanges) {
    if (!response || response.status < 300 || response.status >= 400) continue
    if (request.method.toUpperCase() !== 'POST') continue
    if (passwordConfigured && !(request.body ?? '').includes(SCRUBBED_PASSWORD)) continue
    statuses.push(response.status)
  }
  return statuses
}
