/**
 * Run-scoped redaction of secrets before any reporter, log or artifact sees an event.
 * The rule is in docs/redaction.md: a value is redacted where it sits in a credential position
 * (credential headers and cookies, members, form fields and query parameters named like
 * credentials, private JWK members, JWTs), and a value learned there or from the configuration
 * is replaced later in free text only when it is strong (redact-learned.ts) and a whole token.
 * Free text outside exchanges (messages, check values) teaches nothing.
 */
import type { Exchange } from './model/result.ts'
import { setOwnMember } from './own-member.ts'
import { redactBody, redactHeaders } from './redact-exchange.ts'
import {
  isCredentialName,
  isSecretValue,
  jwkPrivateNames,
  MAX_WALK_DEPTH,
  publicNames,
} from './redact-names.ts'
import { createSecretKeeper, type SecretKeeper } from './redact-text.ts'

export { MIN_LEARNED_LENGTH } from './redact-learned.ts'
// The vocabulary, in its own module so the text and exchange parts share it (redact-names.ts).
export {
  isCredentialName,
  JWK_PRIVATE_MEMBER_NAMES,
  MAX_WALK_DEPTH,
  NEVER_LEARNED,
  PUBLIC_MEMBER_NAMES,
  REDACTED,
  SECRET_HEADER_NAMES,
} from './redact-names.ts'
export { SECRET_MEMBER_NAMES } from './oauth/secret-members.ts'

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

/** Create a redactor for one run. It learns as it goes, so use one instance for the whole run. */
export function createRedactor(options: RedactorOptions = {}): Redactor {
  const keeper = createSecretKeeper(options.labels === true)
  // Objects being walked right now: a hostile value cannot nest the walk past MAX_WALK_DEPTH.
  const depth = { now: 0 }
  const walkFrom = (value: unknown, exchange: boolean) =>
    walk(value, undefined, { keeper, depth, seen: new WeakMap(), exchange })
  return {
    learn: keeper.learn,
    redactValue: <T>(value: T): T => walkFrom(value, false) as T,
    redactExchange: (exchange) => walkFrom(exchange, true) as Exchange,
    redactText: (text) => keeper.redactText(text, false),
    redactKnown: (text) => keeper.learned.replace(text, keeper.mark()),
    learnFrom: (value) => {
      walkFrom(value, false)
    },
  }
}

const isPlainRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isHeaderRecord = (value: unknown): value is Record<string, unknown> =>
  isPlainRecord(value) &&
  Object.values(value).every(
    (item) =>
      typeof item === 'string' || (Array.isArray(item) && item.every((x) => typeof x === 'string')),
  )

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
  keeper: SecretKeeper
  /** Objects being walked right now, across the nested walks of one redactor. */
  depth: { now: number }
  seen: WeakMap<object, unknown>
  /** Inside an exchange: what free text names a credential is learned, not only redacted. */
  exchange: boolean
}

function walk(value: unknown, key: string | undefined, ctx: WalkContext): unknown {
  if (typeof value === 'string') return walkString(value, key, ctx)
  if (typeof value !== 'object' || value === null) return value
  if (ctx.depth.now >= MAX_WALK_DEPTH) return '[nested too deep]'
  ctx.depth.now++
  try {
    return walkObject(value, key, ctx)
  } finally {
    ctx.depth.now--
  }
}

function walkString(value: string, key: string | undefined, ctx: WalkContext): string {
  const { learned, mark } = ctx.keeper
  const credential = key !== undefined && isCredentialName(key)
  if (credential && (isSecretValue(key, value) || learned.has(value))) {
    ctx.keeper.learn(value)
    return mark(key.toLowerCase())
  }
  if (key !== undefined && publicNames.has(key.toLowerCase()))
    return learned.replace(value, mark())
  return ctx.keeper.redactText(value, ctx.exchange)
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
  const copy = new Error(ctx.keeper.redactText(value.message, false))
  copy.name = value.name
  if (value.stack) copy.stack = ctx.keeper.redactText(value.stack, false)
  for (const [member, item] of Object.entries(value)) {
    setOwnMember(copy as unknown as Record<string, unknown>, member, walk(item, member, ctx))
  }
  return copy
}

function walkRecord(record: Record<string, unknown>, outer: WalkContext): Record<string, unknown> {
  const { keeper } = outer
  const isJwk = typeof record.kty === 'string'
  const headers = isHeaderRecord(record.headers) ? record.headers : undefined
  // A request or a response: its URL, headers and body are exchange text.
  const ctx = headers && !outer.exchange ? { ...outer, exchange: true } : outer
  const done = new Map<string, unknown>()
  for (const member of walkOrder(record)) {
    const item = record[member]
    if (isJwk && jwkPrivateNames.has(member) && item !== undefined) {
      if (typeof item === 'string') keeper.learn(item)
      done.set(member, keeper.mark(`jwk.${member}`))
    } else if (member === 'headers' && headers) {
      done.set(member, redactHeaders(keeper, headers))
    } else if (member === 'body' && headers && typeof item === 'string') {
      const walkJson = (parsed: unknown) =>
        walk(parsed, undefined, { ...ctx, seen: new WeakMap(), exchange: true })
      done.set(member, redactBody(keeper, item, headers, walkJson))
    } else {
      done.set(member, walk(item, member, ctx))
    }
  }
  const copy: Record<string, unknown> = {}
  for (const member of Object.keys(record)) setOwnMember(copy, member, done.get(member))
  return copy
}
