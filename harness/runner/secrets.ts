/**
 * Learns secrets as soon as they appear in step data, so the redactor removes them from every
 * later event, wherever they show up (URLs, bodies, messages).
 */

/** Member names whose string values are secrets. */
export const SECRET_MEMBERS = new Set([
  'client_secret',
  'registration_access_token',
  'access_token',
  'refresh_token',
  'id_token',
  'code',
  'code_verifier',
  'password',
  'initial_access_token',
  'client_assertion',
  'private_jwk',
  'd',
])

/** A secret member name: listed, or `*_secret`, `*_password`, `*_token`, `*_private_jwk`. */
export function isSecretName(name: string): boolean {
  return SECRET_MEMBERS.has(name) || /(_secret|_password|_token|_private_jwk)$/.test(name)
}

/** Calls `learn` with every secret found in `value` (deep). */
export function learnSecrets(value: unknown, learn: (secret: string) => void, depth = 0): void {
  if (depth > 20 || value === null || typeof value !== 'object') return
  if (Array.isArray(value)) {
    for (const item of value) learnSecrets(item, learn, depth + 1)
    return
  }
  for (const [key, item] of Object.entries(value)) {
    const secret = isSecretName(key)
    if (secret && typeof item === 'string' && item.length >= 6) learn(item)
    else if (secret && typeof item === 'object' && item !== null) learnAll(item, learn)
    else learnSecrets(item, learn, depth + 1)
  }
}

const JWK_PRIVATE = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'])

/** A secret object: a JWK gives its private members, anything else all its strings. */
function learnAll(value: object, learn: (secret: string) => void): void {
  const isJwk = 'kty' in value
  for (const [key, item] of Object.entries(value)) {
    if (typeof item === 'string' && item.length >= 6 && (!isJwk || JWK_PRIVATE.has(key)))
      learn(item)
  }
}

/** The secrets a target configuration carries (IAT client secret, static token, password). */
export function targetSecrets(target: {
  registration?: { iat?: unknown }
  login?: { password?: string }
  data?: Record<string, unknown>
}): string[] {
  const found: string[] = []
  learnSecrets(
    { iat: target.registration?.iat, password: target.login?.password, data: target.data },
    (s) => found.push(s),
  )
  const iat = target.registration?.iat as { token?: unknown } | undefined
  if (typeof iat?.token === 'string') found.push(iat.token)
  return found
}
