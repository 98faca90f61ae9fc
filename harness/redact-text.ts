/**
 * Redaction of free text (docs/redaction.md): credential positions found by pattern (JSON
 * members, parameters, `Bearer ...`, JWTs), then the strong values learned so far. Inside an
 * exchange, what a position holds is learned too, so it is found again elsewhere.
 */
import { SECRET_MEMBER_NAMES } from './oauth/secret-members.ts'
import {
  createLearnedSecrets,
  isStrongSecret,
  MIN_LEARNED_LENGTH,
  type LearnedSecrets,
} from './redact-learned.ts'
import {
  decodeFormComponent,
  isRedactedMark,
  isSecretValue,
  neverLearned,
  REDACTED,
} from './redact-names.ts'

const namePattern = [
  ...[...SECRET_MEMBER_NAMES].sort((a, b) => b.length - a.length),
  '[A-Za-z0-9_]*_(?:secret|password|token)',
].join('|')

/**
 * A JWS (3 segments) or JWE (5 segments) in compact form; the header is always `{"...` = `eyJ`.
 * It starts where a base64url run starts: tried inside a run (`eyJeyJeyJ...`), every start
 * would rescan the rest of the run, quadratic in a hostile value's length.
 */
const jwtPattern = new RegExp(
  '(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*' +
    '(?:\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*)?',
  'g',
)

/** `code=...` in query strings, fragments, form bodies and prose. */
const parameterPattern = new RegExp(`(^|[?&#;\\s"'(,])(${namePattern})(=)([^&#\\s"'<>;,)]+)`, 'gi')

/** `"client_secret": "..."` inside a larger text (HTML page, error message, log line). */
const jsonMemberPattern = new RegExp(
  `("(?:${namePattern})"\\s*:\\s*")((?:[^"\\\\]|\\\\.)*)(")`,
  'gi',
)

/** The Authorization schemes whose credentials are redacted in free text. */
const SCHEMES = 'Bearer|Basic|DPoP'

/**
 * `Authorization: Bearer xyz` or a bare `Bearer xyz` in prose; not `Bearer realm="..."` (a
 * challenge). A bare scheme is followed by a word as often as by a credential: see below.
 */
const credentialPattern = new RegExp(
  `((?:\\b(?:proxy-)?authorization:\\s*)?)\\b(${SCHEMES})(\\s+)` +
    '([A-Za-z0-9._~+/-]+=*)(?![A-Za-z0-9._~+/=-]|\\s*=|")',
  'gi',
)

/** A scheme anywhere: what credentialPattern needs to match at all. */
const credentialSchemes = new RegExp(SCHEMES, 'i')

/** What one redactor knows: the learned values, and how it marks a secret. */
export interface SecretKeeper {
  learned: LearnedSecrets
  learn(value: string): void
  /** Learns an Authorization credential, and for Basic the decoded secret too. */
  learnCredentials(scheme: string, credentials: string): void
  mark(name?: string): string
  /** Free text: credential positions, then learned values; `teach` learns what positions hold. */
  redactText(text: string, teach: boolean): string
}

export function createSecretKeeper(labels: boolean): SecretKeeper {
  const learned = createLearnedSecrets()
  const keeper: SecretKeeper = {
    learned,
    mark: (name) => (labels && name ? `[REDACTED:${name}]` : REDACTED),
    learn(value) {
      if (typeof value !== 'string') return
      const trimmed = value.trim()
      if (trimmed.length < MIN_LEARNED_LENGTH || isRedactedMark(trimmed)) return
      if (neverLearned.has(trimmed.toLowerCase())) return
      learned.add(trimmed)
    },
    learnCredentials: (scheme, credentials) => learnCredentials(keeper, scheme, credentials),
    redactText: (text, teach) =>
      learned.replace(redactPatterns(keeper, text, teach), keeper.mark()),
  }
  return keeper
}

function learnCredentials(keeper: SecretKeeper, scheme: string, credentials: string): void {
  const { learn } = keeper
  if (isRedactedMark(credentials)) return
  learn(credentials)
  if (scheme.toLowerCase() !== 'basic' || !/^[A-Za-z0-9+/]+=*$/.test(credentials)) return
  // RFC 6749 §2.3.1: client_id and client_secret are form-encoded before base64.
  const decoded = Buffer.from(credentials, 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return
  learn(decoded)
  learn(decoded.slice(colon + 1))
  learn(decodeFormComponent(decoded.slice(colon + 1)))
}

/** Credential positions in free text; with `teach`, what they hold is learned too. */
function redactPatterns(keeper: SecretKeeper, text: string, teach: boolean): string {
  const keep = (value: string) => {
    if (teach) keeper.learn(value)
  }
  // Each pattern needs a character or word a fast scan finds first; most texts have none.
  let redacted = text
  if (redacted.includes('"')) redacted = redactJsonMembers(keeper, redacted, keep)
  if (redacted.includes('=')) redacted = redactParameters(keeper, redacted, keep)
  if (credentialSchemes.test(redacted)) redacted = redactCredentials(keeper, redacted, teach)
  if (redacted.includes('eyJ')) redacted = redactJwts(keeper, redacted, keep)
  return redacted
}

function redactJsonMembers(keeper: SecretKeeper, text: string, keep: (v: string) => void): string {
  const { learned, mark } = keeper
  return text.replace(jsonMemberPattern, (match, open: string, value: string, close: string) => {
    const name = open.slice(1, open.indexOf('"', 1))
    if (!isSecretValue(name, value) && !learned.has(value)) return match
    try {
      keep(JSON.parse(`"${value}"`) as string)
    } catch {
      keep(value)
    }
    return open + mark(name.toLowerCase()) + close
  })
}

function redactParameters(keeper: SecretKeeper, text: string, keep: (v: string) => void): string {
  const { learned, mark } = keeper
  return text.replace(
    parameterPattern,
    (match, lead: string, name: string, eq: string, value: string) => {
      if (!isSecretValue(name, value) && !learned.has(value)) return match
      keep(decodeFormComponent(value))
      keep(value)
      return lead + name + eq + mark(name.toLowerCase())
    },
  )
}

function redactCredentials(keeper: SecretKeeper, text: string, teach: boolean): string {
  return text.replace(
    credentialPattern,
    (match, header: string, scheme: string, space: string, credentials: string) => {
      if (isRedactedMark(credentials)) return match
      // After a bare scheme only a strong value with a non-letter is a credential: `a Bearer
      // challenge` or `Bearer AuthorizationServerMetadata` is prose.
      if (header === '' && (!isStrongSecret(credentials) || /^[A-Za-z]+$/.test(credentials)))
        return match
      if (teach) keeper.learnCredentials(scheme, credentials)
      return header + scheme + space + keeper.mark(scheme.toLowerCase())
    },
  )
}

function redactJwts(keeper: SecretKeeper, text: string, keep: (v: string) => void): string {
  return text.replace(jwtPattern, (jwt) => {
    keep(jwt)
    return keeper.mark('jwt')
  })
}
