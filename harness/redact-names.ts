/**
 * The names redaction knows (docs/redaction.md): credential members, headers, private JWK
 * members, public look-alikes, values never learned, and the mark that replaces a secret.
 */
import { SECRET_MEMBER_NAMES } from './oauth/secret-members.ts'

/** The replacement mark. It never says how long the secret was. */
export const REDACTED = '[REDACTED]'

/** Headers whose values are credentials. Authorization keeps its scheme (`Bearer [REDACTED]`). */
export const SECRET_HEADER_NAMES: readonly string[] = Object.freeze([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
])

/** Private members of a JWK (an object with a `kty` member): RFC 7518 §6.2.2, §6.3.2, §6.4. */
export const JWK_PRIVATE_MEMBER_NAMES: readonly string[] = Object.freeze([
  'd',
  'p',
  'q',
  'dp',
  'dq',
  'qi',
  'oth',
  'k',
])

/** Members that look like secrets (JWTs) but are public by design. */
export const PUBLIC_MEMBER_NAMES: readonly string[] = Object.freeze(['software_statement'])

/** How deep a value is copied; deeper parts become a marker (no stack overflow on hostile data). */
export const MAX_WALK_DEPTH = 200

/**
 * Values never learned (still redacted where a credential name holds them): placeholders and
 * protocol words that a scenario may send as a made-up credential.
 */
export const NEVER_LEARNED: readonly string[] = Object.freeze([
  'none',
  'null',
  'true',
  'false',
  'undefined',
  'auto',
  'bearer',
  'basic',
  ...SECRET_MEMBER_NAMES,
  ...SECRET_HEADER_NAMES,
])

const secretNames = new Set(SECRET_MEMBER_NAMES)
export const secretHeaders: ReadonlySet<string> = new Set(SECRET_HEADER_NAMES)
export const jwkPrivateNames: ReadonlySet<string> = new Set(JWK_PRIVATE_MEMBER_NAMES)
export const publicNames: ReadonlySet<string> = new Set(PUBLIC_MEMBER_NAMES)
export const neverLearned: ReadonlySet<string> = new Set(NEVER_LEARNED)

/** A member, field or parameter name whose value is a credential. */
export function isCredentialName(name: string): boolean {
  const lower = name.toLowerCase()
  return secretNames.has(lower) || /_(?:secret|password|token)$/.test(lower)
}

export const isRedactedMark = (value: string) => value.startsWith('[REDACTED')

/**
 * Whether a value under a secret name really is one. `code` also names error codes
 * (`E_HTTP`, `ECONNREFUSED`, `invalid_request`) and status codes (`500`), never a grant code.
 */
export function isSecretValue(name: string, value: string): boolean {
  if (isRedactedMark(value)) return false
  if (name.toLowerCase() !== 'code') return true
  return !/^(?:[A-Z][A-Z_]*|\d{1,3}|[a-z]+(?:_[a-z]+)+)$/.test(value)
}

export function decodeFormComponent(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '))
  } catch {
    return value
  }
}
