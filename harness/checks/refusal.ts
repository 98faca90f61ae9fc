/**
 * What "the request was refused" means for a check on a step's whole data (`$refusal`, and the
 * expectation key `refused: true`): nothing was created or issued (no `client_id`, no
 * `access_token` in the body), and the answer says it is an error, by a 4xx status or by an
 * OAuth `error` member. A 200 carrying `{"error": ...}` still refused the request: its status
 * is RFC 7591 §3.2.2's matter (R7591-3.2.2-a, judged in suites/errors/), not that of the
 * requirement that wanted the refusal. A 5xx is no refusal: the server failed.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.2
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */

const CREATED_MEMBERS = ['client_id', 'access_token'] as const

function objectOrUndefined(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

/** Why `data` (a step's data: `status`, `body`) is no refusal, or undefined when it is one. */
export function whyNotRefused(data: unknown): string | undefined {
  const answer = objectOrUndefined(data)
  const status = answer?.['status']
  if (typeof status !== 'number') return 'expected a refusal, got no HTTP answer'
  const body = objectOrUndefined(answer?.['body'])
  const created = CREATED_MEMBERS.find((member) => body?.[member] !== undefined)
  if (created) return `expected a refusal, got ${status} with ${created}`
  if (status >= 400 && status < 500) return undefined
  if (status >= 200 && status < 300 && typeof body?.['error'] === 'string') return undefined
  return `expected a refusal (a 4xx, or an OAuth error member), got ${status}`
}
