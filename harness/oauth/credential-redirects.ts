/**
 * Redirects that answered a request carrying the user's credentials (the login form POST): RFC
 * 9700 §4.12 forbids 307 for them, wherever they point, since the browser sends the method and
 * body again. A 307 answering a later GET (say the authorization endpoint after the login)
 * re-sends no body and is allowed.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.12
 */
import type { Exchange } from '../model/result.ts'

/**
 * The statuses of the 3xx responses to POSTs whose body held the login password. The drivers
 * hand over exchanges with the password already replaced by a mark (browser/scrub.ts), so a body
 * held it where `passwordMark` stands. Without a configured password (a login script or recipe
 * steps the harness cannot read) there is no mark: then the first POST of the authorization is
 * taken for the login form, and a later one (a consent form) holds no credentials.
 */
export function credentialRedirectStatuses(
  exchanges: readonly Exchange[],
  passwordMark: string | undefined,
): number[] {
  const posts = exchanges.filter(({ request }) => request.method.toUpperCase() === 'POST')
  const credentialPosts =
    passwordMark === undefined
      ? posts.slice(0, 1)
      : posts.filter(({ request }) => (request.body ?? '').includes(passwordMark))
  return credentialPosts
    .map(({ response }) => response?.status)
    .filter((status): status is number => status !== undefined && status >= 300 && status < 400)
}
