/**
 * Learns secrets as soon as they appear in step data, so the redactor removes them from every
 * later event, wherever they show up (URLs, bodies, messages). What inside an object is secret
 * (private JWK members, credential members) is the redactor's knowledge (`learnFrom`); this module
 * adds the harness's own naming conventions (`*_secret`, `*_token`, ... in target data).
 */
import { isCredentialName, type Redactor } from '../redact.ts'

/** Where learned secrets go: the run's redactor. */
export type SecretSink = Pick<Redactor, 'learn' | 'learnFrom'>

/** Member names whose string values are secrets, besides the redactor's credential names. */
export const SECRET_MEMBERS = new Set(['private_jwk'])

/**
 * A secret member name: a credential name of the redactor (`client_secret`, `code`, `*_secret`,
 * `*_password`, `*_token`, ...), or `private_jwk` / `*_private_jwk`.
 */
export function isSecretName(name: string): boolean {
  return SECRET_MEMBERS.has(name) || name.endsWith('_private_jwk') || isCredentialName(name)
}

/**
 * Teaches `sink` every secret found in `value` (deep): strings under secret names, and whatever
 * the redactor itself recognises in objects (a JWK gives only its private members, never
 * `kty`, `kid`, `x`, `y`, `n`, `e`, `alg`, `use`).
 */
export function learnSecrets(value: unknown, sink: SecretSink, depth = 0): void {
  if (depth > 20 || value === null || typeof value !== 'object') return
  if (Array.isArray(value)) {
    for (const item of value) learnSecrets(item, sink, depth + 1)
    return
  }
  if (typeof (value as { kty?: unknown }).kty === 'string') {
    sink.learnFrom(value)
    return
  }
  for (const [key, item] of Object.entries(value)) {
    if (isSecretName(key) && typeof item === 'string') {
      sink.learn(item)
    } else {
      if (isSecretName(key) && typeof item === 'object' && item !== null) sink.learnFrom(item)
      learnSecrets(item, sink, depth + 1)
    }
  }
}

/** Learns the secrets a target configuration carries (IAT secret, static token, password). */
export function learnTargetSecrets(
  target: {
    registration?: { iat?: unknown }
    login?: { password?: string }
    data?: Record<string, unknown>
  },
  sink: SecretSink,
): void {
  learnSecrets(
    { iat: target.registration?.iat, password: target.login?.password, data: target.data },
    sink,
  )
  const iat = target.registration?.iat as { token?: unknown } | undefined
  if (typeof iat?.token === 'string') sink.learn(iat.token)
}
