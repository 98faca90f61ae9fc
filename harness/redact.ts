/**
 * Run-scoped redaction of secrets before any reporter, log or artifact sees an event (DESIGN §8).
 * The rule is in docs/redaction.md: a value is redacted where it sits in a credential position
 * (credential headers and cookies, members, form fields and query parameters named like
 * credentials, private JWK members, JWTs), and a value learned there or from the configuration
 * is replaced later in free text only when it is strong (redact-learned.ts) and a whole token.
 * Free text outside exchanges (messages, check values) teaches nothing.
 */
import type { Exchange } from './types.ts'
import { jsonTooDeep } from './http/json.ts'
import {
  createLearnedSecrets,
  isStrongSecret,
  MIN_LEARNED_LENGTH,
} from './redact-learned.ts'

export { MIN_LEARNED_LENGTH } from './redact-learned.ts'

/** The replacement mark. It never says how long the secret was. */
export const REDACTED = '[REDACTED]'

/**
 * Names of JSON members, form parameters and query/fragment parameters whose values are secrets.
 * Matched case-insensitively and exactly (`token_endpoint_auth_method` is not `token`); names
 * ending in `_secret`, `_password` or `_token` are credentials too (isCredentialName).
 * `software_statement` is deliberately absent: it is a signed, public statement.
 * RFC 7591 §3.1, RFC 7592 §3, RFC 6749 §4.1.2, RFC 7636 §4.5, RFC 7523 §2.2.
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

export interface Redactor {
  /** Remember a secret value (from configuration or step data); see docs/redaction.md. */
  learn(value: string): void
  /** A redacted deep copy of an exchange; bodies are parsed by content type (JSON, form, text). */
  redactExchange(exchange: Exchange): Exchange
  /**
   * A redacted deep copy of any value in one walk (never mutates its input; cycles become
   * `[Circular]`). Members holding objects are walked before strings, exchanges first, so what
   * an exchange teaches is known to the messages beside it.
   */
  redactValue<T>(value: T): T
  /** Redact one free-text string the harness wrote (credential positions, strong values). */
  redactText(text: string): string
  /** Replace only strong learned values, nothing by position: for text the suite wrote. */
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

/** A member, field or parameter name whose value is a credential. */
export function isCredentialName(name: string): boolean {
  const lower = name.toLowerCase()
  return secretNames.has(lower) || /_(?:secret|password|token)$/.test(lower)
}

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

/**
 * `Authorization: Bearer xyz` or a bare `Bearer xyz` in prose; not `Bearer realm="..."` (a
 * challenge). A bare scheme is followed by a word as often as by a credential: see below.
 */
const credentialPattern = new RegExp(
  '((?:\\b(?:proxy-)?authorization:\\s*)?)\\b(Bearer|Basic|DPoP)(\\s+)' +
    '([A-Za-z0-9._~+/-]+=*)(?![A-Za-z0-9._~+/=-]|\\s*=|")',
  'gi',
)

const isRedactedMark = (value: string) => value.startsWith('[REDACTED')

/**
 * Whether a value under a secret name really is one. `code` also names error codes
 * (`E_HTTP`, `ECONNREFUSED`, `invalid_request`) and status codes (`500`), never a grant code.
 */
function isSecretValue(name: string, value: string): boolean {
  if (isRedactedMark(value)) return false
  if (name.toLowerCase() !== 'code') return true
  return !/^(?:[A-Z][A-Z_]*|\d{1,3}|[a-z]+(?:_[a-z]+)+)$/.test(value)
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

/** Object members in walk order: exchanges, other objects, then scalars (docs/redaction.md). */
function walkOrder(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record)
  const rank = (key: string) => {
    if (key === 'headers') return 0
    if (key === 'exchanges' || key === 'steps') return 1
    const value = record[key]
    return typeof value === 'object' && value !== null ? 2 : 3
  }
  return keys
    .map((key, at) => ({ key, at, rank: rank(key) }))
    .sort((a, b) => a.rank - b.rank || a.at - b.at)
    .map((entry) => entry.key)
}

/** Where a walk is: values met so far (cycles, shared references) and whether text may teach. */
interface WalkContext {
  seen: WeakMap<object, unknown>
  /** Inside an exchange: what free text names a credential is learned, not only redacted. */
  exchange: boolean
}

/** Create a redactor for one run. It learns as it goes, so use one instance for the whole run. */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const learned = createLearnedSecrets()
  const mark = (name?: string) => (options.labels && name ? `[REDACTED:${name}]` : REDACTED)

  function learn(value: string): void {
    if (typeof value !== 'string') return
    const trimmed = value.trim()
    if (trimmed.length < MIN_LEARNED_LENGTH || isRedactedMark(trimmed)) return
    if (neverLearned.has(trimmed.toLowerCase())) return
    learned.add(trimmed)
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

  /** Credential positions in free text; inside an exchange, what they hold is learned too. */
  function redactPatterns(text: string, teach: boolean): string {
    const keep = (value: string) => {
      if (teach) learn(value)
    }
    return text
      .replace(jsonMemberPattern, (match, open: string, value: string, close: string) => {
        const name = open.slice(1, open.indexOf('"', 1))
        if (!isSecretValue(name, value) && !learned.has(value)) return match
        try {
          keep(JSON.parse(`"${value}"`) as string)
        } catch {
          keep(value)
        }
        return open + mark(name.toLowerCase()) + close
      })
      .replace(parameterPattern, (match, lead: string, name: string, eq: string, value: string) => {
        if (!isSecretValue(name, value) && !learned.has(value)) return match
        keep(decodeFormComponent(value))
        keep(value)
        return lead + name + eq + mark(name.toLowerCase())
      })
      .replace(
        credentialPattern,
        (match, header: string, scheme: string, space: string, credentials: string) => {
          if (isRedactedMark(credentials)) return match
          // After a bare scheme only a strong value is a credential: `a Bearer challenge` is prose.
          if (header === '' && !isStrongSecret(credentials)) return match
          if (teach) learnCredentials(scheme, credentials)
          return header + scheme + space + mark(scheme.toLowerCase())
        },
      )
      .replace(jwtPattern, (jwt) => {
        keep(jwt)
        return mark('jwt')
      })
  }

  function redactText(text: string, teach: boolean): string {
    return learned.replace(redactPatterns(text, teach), mark())
  }

  function redactHeaderValue(name: string, value: string): string {
    const lower = name.toLowerCase()
    if (!secretHeaders.has(lower)) return redactText(value, true)
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

  /** Credential headers first (a Set-Cookie teaches the Location beside it); order kept. */
  function redactHeaders(headers: Record<string, unknown>): Record<string, unknown> {
    const redactOne = (name: string, value: unknown) =>
      Array.isArray(value)
        ? value.map((item: string) => redactHeaderValue(name, item))
        : redactHeaderValue(name, value as string)
    const names = Object.keys(headers)
    const done = new Map<string, unknown>()
    for (const name of names)
      if (secretHeaders.has(name.toLowerCase())) done.set(name, redactOne(name, headers[name]))
    const copy: Record<string, unknown> = {}
    for (const name of names)
      copy[name] = done.has(name) ? done.get(name) : redactOne(name, headers[name])
    return copy
  }

  function redactForm(body: string): string {
    return body
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=')
        if (eq < 0) return redactText(pair, true)
        const name = decodeFormComponent(pair.slice(0, eq))
        const value = pair.slice(eq + 1)
        if (publicNames.has(name.toLowerCase())) return learned.replace(pair, mark())
        if (isCredentialName(name) && isSecretValue(name, decodeFormComponent(value))) {
          learn(decodeFormComponent(value))
          learn(value)
          return `${pair.slice(0, eq + 1)}${mark(name.toLowerCase())}`
        }
        return `${pair.slice(0, eq + 1)}${redactText(value, true)}`
      })
      .join('&')
  }

  function redactBody(body: string, headers: Record<string, unknown>): string {
    const contentType = contentTypeOf(headers)
    const trimmed = body.trimStart()
    const looksJson = trimmed.startsWith('{') || trimmed.startsWith('[')
    // Too deep to walk: redacted as text (learned values, patterns) instead.
    if ((contentType.includes('json') || (!contentType && looksJson)) && !jsonTooDeep(body)) {
      try {
        const parsed: unknown = JSON.parse(body)
        const redacted = walk(parsed, undefined, { seen: new WeakMap(), exchange: true })
        // Nothing secret: keep the body byte for byte (re-serialising would round big numbers).
        if (JSON.stringify(redacted) === JSON.stringify(parsed)) return body
        return JSON.stringify(redacted, null, /\n\s/.test(body) ? 2 : undefined)
      } catch {
        // Not JSON after all: fall through to text.
      }
    }
    if (contentType.includes('application/x-www-form-urlencoded')) return redactForm(body)
    return redactText(body, true)
  }

  /** Objects being walked right now: a hostile value cannot nest the walk past MAX_WALK_DEPTH. */
  let depth = 0

  function walk(value: unknown, key: string | undefined, ctx: WalkContext): unknown {
    if (typeof value === 'string') return walkString(value, key, ctx)
    if (typeof value !== 'object' || value === null) return value
    if (depth >= MAX_WALK_DEPTH) return '[nested too deep]'
    depth++
    try {
      return walkObject(value, key, ctx)
    } finally {
      depth--
    }
  }

  function walkString(value: string, key: string | undefined, ctx: WalkContext): string {
    const credential = key !== undefined && isCredentialName(key)
    if (credential && (isSecretValue(key, value) || learned.has(value))) {
      learn(value)
      return mark(key.toLowerCase())
    }
    if (key !== undefined && publicNames.has(key.toLowerCase()))
      return learned.replace(value, mark())
    return redactText(value, ctx.exchange)
  }

  function walkObject(value: object, key: string | undefined, ctx: WalkContext): unknown {
    if (value instanceof Date) return new Date(value.getTime())
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return '[binary]'
    // A value being copied (an ancestor) is a cycle: cut it, so the copy stays JSON-serialisable.
    // A value copied before is a shared reference: reuse its copy.
    if (ctx.seen.has(value)) return ctx.seen.get(value)
    ctx.seen.set(value, '[Circular]')
    let copy: unknown
    if (Array.isArray(value)) copy = value.map((item) => walk(item, key, ctx))
    else if (value instanceof Error) copy = walkError(value, ctx)
    else copy = walkRecord(value as Record<string, unknown>, ctx)
    ctx.seen.set(value, copy)
    return copy
  }

  function walkError(value: Error, ctx: WalkContext): Error {
    const copy = new Error(redactText(value.message, false))
    copy.name = value.name
    if (value.stack) copy.stack = redactText(value.stack, false)
    for (const [member, item] of Object.entries(value)) {
      ;(copy as unknown as Record<string, unknown>)[member] = walk(item, member, ctx)
    }
    return copy
  }

  function walkRecord(
    record: Record<string, unknown>,
    outer: WalkContext,
  ): Record<string, unknown> {
    const isJwk = typeof record.kty === 'string'
    const headers = isHeaderRecord(record.headers) ? record.headers : undefined
    // A request or a response: its URL, headers and body are exchange text.
    const ctx = headers && !outer.exchange ? { ...outer, exchange: true } : outer
    const done = new Map<string, unknown>()
    for (const member of walkOrder(record)) {
      const item = record[member]
      if (isJwk && jwkPrivateNames.has(member) && item !== undefined) {
        if (typeof item === 'string') learn(item)
        done.set(member, mark(`jwk.${member}`))
      } else if (member === 'headers' && headers) {
        done.set(member, redactHeaders(headers))
      } else if (member === 'body' && headers && typeof item === 'string') {
        done.set(member, redactBody(item, headers))
      } else {
        done.set(member, walk(item, member, ctx))
      }
    }
    const copy: Record<string, unknown> = {}
    for (const member of Object.keys(record)) copy[member] = done.get(member)
    return copy
  }

  return {
    learn,
    redactValue: <T>(value: T): T =>
      walk(value, undefined, { seen: new WeakMap(), exchange: false }) as T,
    redactExchange: (exchange) =>
      walk(exchange, undefined, { seen: new WeakMap(), exchange: true }) as Exchange,
    redactText: (text) => redactText(text, false),
    redactKnown: (text) => learned.replace(text, mark()),
    learnFrom: (value) => {
      walk(value, undefined, { seen: new WeakMap(), exchange: false })
    },
  }
}
