/**
 * Run-scoped redaction of secrets before any reporter, log or artifact sees an event (DESIGN §8).
 *
 * A redactor recognises secrets by where they sit (member names in JSON, form and query
 * parameters, credential headers, private JWK members, JWT-looking strings) and remembers every
 * value it redacts that way, so the same value is replaced wherever it shows up later: in a URL,
 * an HTML page, an error message or a check's `actual`.
 */
import type { Exchange } from './types.ts'
import { jsonTooDeep } from './http/json.ts'

/** The replacement mark. It never says how long the secret was. */
export const REDACTED = '[REDACTED]'

/**
 * Names of JSON members, form parameters and query/fragment parameters whose values are secrets.
 * Matched case-insensitively and exactly (`token_endpoint_auth_method` is not `token`).
 * `software_statement` is deliberately absent: it is a signed, public statement.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.1
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-3
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.5
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 */
export const SECRET_MEMBER_NAMES: readonly string[] = Object.freeze([
  'initial_access_token',
  'access_token',
  'client_secret',
  'registration_access_token',
  'code',
  'code_verifier',
  'refresh_token',
  'id_token',
  'id_token_hint',
  'logout_token',
  'password',
  'client_assertion',
  'assertion',
  'token',
  'subject_token',
  'actor_token',
  'device_code',
])

/** Headers whose values are credentials. Authorization keeps its scheme (`Bearer [REDACTED]`). */
export const SECRET_HEADER_NAMES: readonly string[] = Object.freeze([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
])

/**
 * Private members of a JWK (an object with a `kty` member).
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-6.2.2
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-6.3.2
 * @see https://www.rfc-editor.org/rfc/rfc7518#section-6.4
 */
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

/** Values shorter than this are never learned: replacing them everywhere would garble text. */
export const MIN_LEARNED_LENGTH = 4

/**
 * Values never learned for free-text replacement (still redacted where a secret name holds them):
 * placeholders and protocol words that would otherwise be blanked out of every message.
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

export interface Redactor {
  /** Remember a secret value: from now on it is replaced in every string. */
  learn(value: string): void
  /** A redacted deep copy of an exchange; bodies are parsed by content type (JSON, form, text). */
  redactExchange(exchange: Exchange): Exchange
  /** A redacted deep copy of any value (never mutates its input; cycles become `[Circular]`). */
  redactValue<T>(value: T): T
  /** Redact one free-text string (learned values, JWTs, `name=value` and `"name": "value"`). */
  redactText(text: string): string
  /**
   * Replace only the values already learned, learning nothing from `text`: for text the suite
   * wrote (check names), whose words are never secrets but may quote one.
   */
  redactKnown(text: string): string
  /** Learn every secret a value holds (e.g. the target configuration) without copying it. */
  learnFrom(value: unknown): void
}

export interface RedactorOptions {
  /** Name the kind of secret in the mark: `[REDACTED:client_secret]` (default false). */
  labels?: boolean
}

const secretNames = new Set(SECRET_MEMBER_NAMES)
const secretHeaders = new Set(SECRET_HEADER_NAMES)
const jwkPrivateNames = new Set(JWK_PRIVATE_MEMBER_NAMES)
const publicNames = new Set(PUBLIC_MEMBER_NAMES)
const neverLearned = new Set(NEVER_LEARNED)

const namePattern = [...SECRET_MEMBER_NAMES].sort((a, b) => b.length - a.length).join('|')

/** A JWS (3 segments) or JWE (5 segments) in compact form; the header is always `{"...` = `eyJ`. */
const jwtPattern =
  /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?/g

/** `code=...` in query strings, fragments, form bodies and prose. */
const parameterPattern = new RegExp(`(^|[?&#;\\s"'(,])(${namePattern})(=)([^&#\\s"'<>;,)]+)`, 'gi')

/** `"client_secret": "..."` inside a larger text (HTML page, error message, log line). */
const jsonMemberPattern = new RegExp(
  `("(?:${namePattern})"\\s*:\\s*")((?:[^"\\\\]|\\\\.)*)(")`,
  'gi',
)

/** `Bearer xyz` in prose; not `Bearer realm="..."` (a challenge) nor short words. */
const credentialPattern =
  /\b(Bearer|Basic|DPoP)(\s+)([A-Za-z0-9._~+/-]{8,}=*)(?![A-Za-z0-9._~+/=-]|\s*=|")/g

const isRedactedMark = (value: string) => value.startsWith('[REDACTED')

/**
 * Whether a value under a secret name really is one. `code` also names error codes
 * (`E_HTTP`, `ECONNREFUSED`, `ERR_INVALID_URL`: capitals and underscores only) and status codes
 * (`500`), never a grant code.
 */
function isSecretValue(name: string, value: string): boolean {
  if (isRedactedMark(value)) return false
  if (name.toLowerCase() === 'code' && /^(?:[A-Z][A-Z_]*|\d{1,3})$/.test(value)) return false
  return true
}

const isPlainRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isHeaderRecord = (value: unknown): value is Record<string, unknown> =>
  isPlainRecord(value) &&
  Object.values(value).every(
    (item) =>
      typeof item === 'string' || (Array.isArray(item) && item.every((x) => typeof x === 'string')),
  )

function decodeFormComponent(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '))
  } catch {
    return value
  }
}

function contentTypeOf(headers: Record<string, unknown>): string {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'content-type' && typeof value === 'string')
      return value.toLowerCase()
  }
  return ''
}

/** Create a redactor for one run. It learns as it goes, so use one instance for the whole run. */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const learned = new Set<string>()
  // Learned values by their first characters, longest first: a linear scan finds them in any text
  // without rebuilding a regular expression every time the set grows.
  const byPrefix = new Map<string, string[]>()

  const mark = (name?: string) => (options.labels && name ? `[REDACTED:${name}]` : REDACTED)

  function remember(value: string): void {
    if (learned.has(value)) return
    learned.add(value)
    const prefix = value.slice(0, MIN_LEARNED_LENGTH)
    const list = byPrefix.get(prefix) ?? []
    const at = list.findIndex((other) => other.length < value.length)
    list.splice(at < 0 ? list.length : at, 0, value)
    byPrefix.set(prefix, list)
  }

  function learn(value: string): void {
    if (typeof value !== 'string') return
    const trimmed = value.trim()
    if (trimmed.length < MIN_LEARNED_LENGTH || isRedactedMark(trimmed)) return
    if (neverLearned.has(trimmed.toLowerCase())) return
    // The forms a value takes in other contexts: URL/form encoded, JSON-escaped, HTML-escaped.
    remember(trimmed)
    remember(encodeURIComponent(trimmed))
    remember(new URLSearchParams({ v: trimmed }).toString().slice(2))
    remember(JSON.stringify(trimmed).slice(1, -1))
    remember(
      trimmed
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;'),
    )
  }

  function replaceLearned(text: string): string {
    if (learned.size === 0 || text.length < MIN_LEARNED_LENGTH) return text
    let out = ''
    let copiedUpTo = 0
    for (let i = 0; i + MIN_LEARNED_LENGTH <= text.length;) {
      const candidates = byPrefix.get(text.slice(i, i + MIN_LEARNED_LENGTH))
      const hit = candidates?.find((candidate) => text.startsWith(candidate, i))
      if (hit) {
        out += text.slice(copiedUpTo, i) + mark()
        i += hit.length
        copiedUpTo = i
      } else {
        i += 1
      }
    }
    return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo)
  }

  /** Name-based and shape-based redaction of free text; learns what it finds. */
  function redactPatterns(text: string): string {
    return text
      .replace(jsonMemberPattern, (match, open: string, value: string, close: string) => {
        const name = open.slice(1, open.indexOf('"', 1))
        if (!isSecretValue(name, value)) return match
        try {
          learn(JSON.parse(`"${value}"`) as string)
        } catch {
          learn(value)
        }
        return open + mark(name.toLowerCase()) + close
      })
      .replace(parameterPattern, (match, lead: string, name: string, eq: string, value: string) => {
        if (!isSecretValue(name, value)) return match
        learn(decodeFormComponent(value))
        learn(value)
        return lead + name + eq + mark(name.toLowerCase())
      })
      .replace(credentialPattern, (_match, scheme: string, space: string, credentials: string) => {
        learnCredentials(scheme, credentials)
        return scheme + space + mark(scheme.toLowerCase())
      })
      .replace(jwtPattern, (jwt) => {
        learn(jwt)
        return mark('jwt')
      })
  }

  function redactText(text: string, learnOnly = false): string {
    const patterned = redactPatterns(text)
    return learnOnly ? patterned : replaceLearned(patterned)
  }

  function learnCredentials(scheme: string, credentials: string): void {
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

  function redactHeaderValue(name: string, value: string, learnOnly: boolean): string {
    const lower = name.toLowerCase()
    if (!secretHeaders.has(lower)) return redactText(value, learnOnly)
    if (lower === 'authorization' || lower === 'proxy-authorization') {
      const match = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+(\S[\s\S]*)$/.exec(value)
      if (!match) {
        learn(value)
        return mark(lower)
      }
      const scheme = match[1] ?? ''
      learnCredentials(scheme, (match[2] ?? '').trim())
      return `${scheme} ${mark(lower)}`
    }
    if (lower === 'cookie') {
      return value
        .split(';')
        .map((pair) => {
          const eq = pair.indexOf('=')
          if (eq < 0) return pair
          learn(pair.slice(eq + 1).trim())
          return `${pair.slice(0, eq + 1)}${mark('cookie')}`
        })
        .join(';')
    }
    // set-cookie: one cookie per line or several joined with `, ` (values contain no commas).
    return value.replace(
      /(^|[\n,])(\s*)([^=;,\s]+)=([^;,\n]*)/g,
      (_match, lead: string, space: string, cookieName: string, cookieValue: string) => {
        learn(cookieValue.trim())
        return `${lead}${space}${cookieName}=${mark('set-cookie')}`
      },
    )
  }

  function redactHeaders(
    headers: Record<string, unknown>,
    learnOnly: boolean,
  ): Record<string, unknown> {
    const copy: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(headers)) {
      copy[name] = Array.isArray(value)
        ? value.map((item: string) => redactHeaderValue(name, item, learnOnly))
        : redactHeaderValue(name, value as string, learnOnly)
    }
    return copy
  }

  function redactForm(body: string, learnOnly: boolean): string {
    return body
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=')
        if (eq < 0) return redactText(pair, learnOnly)
        const name = decodeFormComponent(pair.slice(0, eq))
        const value = pair.slice(eq + 1)
        if (publicNames.has(name.toLowerCase())) return learnOnly ? pair : replaceLearned(pair)
        if (
          secretNames.has(name.toLowerCase()) &&
          isSecretValue(name, decodeFormComponent(value))
        ) {
          learn(decodeFormComponent(value))
          learn(value)
          return `${pair.slice(0, eq + 1)}${mark(name.toLowerCase())}`
        }
        return `${pair.slice(0, eq + 1)}${redactText(value, learnOnly)}`
      })
      .join('&')
  }

  function redactBody(body: string, headers: Record<string, unknown>, learnOnly: boolean): string {
    const contentType = contentTypeOf(headers)
    const trimmed = body.trimStart()
    const looksJson = trimmed.startsWith('{') || trimmed.startsWith('[')
    // Too deep to walk: redacted as text (learned values, patterns) instead.
    if ((contentType.includes('json') || (!contentType && looksJson)) && !jsonTooDeep(body)) {
      try {
        const parsed: unknown = JSON.parse(body)
        const redacted = walk(parsed, undefined, learnOnly, new WeakMap())
        // Nothing secret: keep the body byte for byte (re-serialising would round big numbers).
        if (JSON.stringify(redacted) === JSON.stringify(parsed)) return body
        return JSON.stringify(redacted, null, /\n\s/.test(body) ? 2 : undefined)
      } catch {
        // Not JSON after all: fall through to text.
      }
    }
    if (contentType.includes('application/x-www-form-urlencoded'))
      return redactForm(body, learnOnly)
    return redactText(body, learnOnly)
  }

  /** Objects being walked right now: a hostile value cannot nest the walk past MAX_WALK_DEPTH. */
  let depth = 0

  function walk(
    value: unknown,
    key: string | undefined,
    learnOnly: boolean,
    seen: WeakMap<object, unknown>,
  ): unknown {
    if (typeof value !== 'object' || value === null) return walkValue(value, key, learnOnly, seen)
    if (depth >= MAX_WALK_DEPTH) return '[nested too deep]'
    depth++
    try {
      return walkValue(value, key, learnOnly, seen)
    } finally {
      depth--
    }
  }

  function walkValue(
    value: unknown,
    key: string | undefined,
    learnOnly: boolean,
    seen: WeakMap<object, unknown>,
  ): unknown {
    const name = key?.toLowerCase()
    if (typeof value === 'string') {
      if (name !== undefined && secretNames.has(name) && isSecretValue(name, value)) {
        learn(value)
        return mark(name)
      }
      if (name !== undefined && publicNames.has(name))
        return learnOnly ? value : replaceLearned(value)
      return redactText(value, learnOnly)
    }
    if (typeof value !== 'object' || value === null) return value
    if (value instanceof Date) return new Date(value.getTime())
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return '[binary]'
    // A value being copied (an ancestor) is a cycle: cut it, so the copy stays JSON-serialisable.
    // A value copied before is a shared reference: reuse its copy.
    if (seen.has(value)) return seen.get(value)
    seen.set(value, '[Circular]')

    if (Array.isArray(value)) {
      const copy = value.map((item) => walk(item, key, learnOnly, seen))
      seen.set(value, copy)
      return copy
    }
    if (value instanceof Error) {
      const copy = new Error(redactText(value.message, learnOnly))
      copy.name = value.name
      if (value.stack) copy.stack = redactText(value.stack, learnOnly)
      for (const [member, item] of Object.entries(value)) {
        ;(copy as unknown as Record<string, unknown>)[member] = walk(item, member, learnOnly, seen)
      }
      seen.set(value, copy)
      return copy
    }

    const record = value as Record<string, unknown>
    const isJwk = typeof record.kty === 'string'
    const headers = isHeaderRecord(record.headers) ? record.headers : undefined
    const copy: Record<string, unknown> = {}
    for (const [member, item] of Object.entries(record)) {
      if (isJwk && jwkPrivateNames.has(member) && item !== undefined) {
        if (typeof item === 'string') learn(item)
        copy[member] = mark(`jwk.${member}`)
      } else if (member === 'headers' && headers) {
        copy[member] = redactHeaders(headers, learnOnly)
      } else if (member === 'body' && headers && typeof item === 'string') {
        copy[member] = redactBody(item, headers, learnOnly)
      } else {
        copy[member] = walk(item, member, learnOnly, seen)
      }
    }
    seen.set(value, copy)
    return copy
  }

  /** Two passes: learn every secret of the value first, so none leaks where it is met first. */
  function redactValue<T>(value: T): T {
    walk(value, undefined, true, new WeakMap())
    return walk(value, undefined, false, new WeakMap()) as T
  }

  return {
    learn,
    redactValue,
    redactExchange: (exchange) => redactValue(exchange),
    redactText: (text) => redactText(text),
    redactKnown: (text) => replaceLearned(text),
    learnFrom: (value) => {
      walk(value, undefined, true, new WeakMap())
    },
  }
}
