/**
 * The auth-params of a Bearer challenge in `WWW-Authenticate` (RFC 6750 §3, RFC 9110 §11.6.1):
 * `resource_metadata` (RFC 9728 §5.1) and `scope` are what MCP discovery reads.
 */

/** The parameters of the first Bearer challenge (names lower-cased), or undefined when none. */
export function bearerChallengeParams(header: string | undefined): Record<string, string> | undefined {
  if (!header) return undefined
  const start = /(?:^|,)\s*Bearer(?:\s+|$)/i.exec(header)
  if (!start) return undefined
  const params: Record<string, string> = {}
  // name=token or name="quoted \"string\""; a new scheme (a token not followed by `=`) ends it.
  const pattern = /\s*,?\s*([A-Za-z0-9_\-.]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/y
  pattern.lastIndex = start.index + start[0].length
  for (let match = pattern.exec(header); match; match = pattern.exec(header)) {
    const name = match[1]!.toLowerCase()
    const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '')
    if (!(name in params)) params[name] = value
  }
  return params
}

/** An answer's status, headers and body, as a response or a step's data holds them. */
export interface AnswerLike {
  status?: number
  headers?: Record<string, string>
  body?: unknown
}

/**
 * A 401 or 403 that refuses the Bearer token itself, not the request's body: a Bearer challenge,
 * or the error code RFC 6750 §3.1 gives an invalid token (`invalid_token`).
 */
export function refusesBearerToken(answer: AnswerLike): boolean {
  if (answer.status !== 401 && answer.status !== 403) return false
  const error = (answer.body as { error?: unknown } | undefined)?.error
  const challenged = bearerChallengeParams(answer.headers?.['www-authenticate']) !== undefined
  return challenged || error === 'invalid_token'
}
