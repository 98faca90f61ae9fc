/**
 * Redirects that answered a request carrying the user's credentials (the login form POST): RFC
 * 9700 §4.12 forbids 307 for them, wherever they point, since the browser sends the method and
 * body again. A 307 answering a later GET (say the authorization endpoint after the login)
 * re-sends no body and is allowed. Found in what a driver recorded, before the password is
 * scrubbed from it (services.ts).
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.12
 */
import type { Exchange } from '../model/result.ts'
import { secretForms } from './scrub.ts'

/**
 * The statuses of the 3xx responses to POSTs whose body holds `password` in any of its forms.
 * Without a configured password (a login script or recipe steps the harness cannot read) the
 * first POST is taken for the login form; a later one (a consent form) holds no credentials.
 * An authorization that reused a stored session logged in nowhere: none.
 */
export function credentialRedirectStatuses(
  exchanges: readonly Exchange[],
  password: string | undefined,
  sessionReused: boolean,
): number[] {
  if (sessionReused) return []
  const posts = exchanges.filter(({ request }) => request.method.toUpperCase() === 'POST')
  const forms = password ? secretForms(password) : undefined
  const credentialPosts = forms
    ? posts.filter(({ request }) => forms.some((form) => (request.body ?? '').includes(form)))
    : posts.slice(0, 1)
  return credentialPosts
    .map(({ response }) => response?.status)
    .filter((status): status is number => status !== undefined && status >= 300 && status < 400)
}
