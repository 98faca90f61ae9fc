/**
 * Expectation matching: literal values with subset semantics for objects, and `$`-matchers
 * (see suites/README.md). `undefined` stands for "absent" throughout, so `$absent`, `$present`
 * and `$not` work on members that do not exist.
 */
import { childPointer, pointerMessage, reasonOf, showTyped, showValue, typeName } from './format.ts'
import { whyNotRefused } from './refusal.ts'

/** One difference between an actual value and an expectation, located by JSON Pointer. */
export interface Mismatch {
  /** RFC 6901 JSON Pointer into the actual value (`''` is the value itself). */
  pointer: string
  /** `pointer: reason`, e.g. `/client_secret_expires_at: expected type integer, got string "0"`. */
  message: string
  expected?: unknown
  actual?: unknown
}

/** The names of all `$`-matchers. */
export const MATCHER_NAMES = [
  '$type',
  '$match',
  '$in',
  '$not',
  '$absent',
  '$present',
  '$eq',
  '$gte',
  '$lte',
  '$gt',
  '$lt',
  '$length',
  '$contains',
  '$tokensIn',
  '$count',
  '$each',
  '$anyOf',
  '$allOf',
  '$refusal',
] as const

export const TYPE_NAMES = ['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']

type MatcherName = (typeof MATCHER_NAMES)[number]
type MatcherFn = (actual: unknown, argument: unknown, pointer: string) => Mismatch[]

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

/** Whether an object is a matcher (has at least one `$` key). */
export function isMatcherObject(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.keys(value).some((key) => key.startsWith('$'))
}

function mismatch(pointer: string, reason: string, expected: unknown, actual: unknown): Mismatch {
  return { pointer, message: pointerMessage(pointer, reason), expected, actual }
}

/** Deep equality of JSON values (objects by key set, arrays in order). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((item, index) => deepEqual(item, b[index]))
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  const aKeys = Object.keys(a).filter((key) => (a as Record<string, unknown>)[key] !== undefined)
  const bKeys = Object.keys(b).filter((key) => (b as Record<string, unknown>)[key] !== undefined)
  if (aKeys.length !== bKeys.length) return false
  return aKeys.every(
    (key) =>
      Object.hasOwn(b, key) &&
      deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  )
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value)
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'array':
      return Array.isArray(value)
    case 'null':
      return value === null
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value)
    default:
      return typeof value === type
  }
}

/** A short description of an expectation for "expected ..." messages. */
function showExpected(expected: unknown): string {
  return showValue(expected)
}

function compare(name: '$gte' | '$lte' | '$gt' | '$lt'): MatcherFn {
  const symbol = { $gte: '>=', $lte: '<=', $gt: '>', $lt: '<' }[name]
  return (actual, bound, pointer) => {
    if (typeof bound !== 'number') {
      return [
        mismatch(pointer, `invalid matcher: ${name} needs a number`, { [name]: bound }, actual),
      ]
    }
    const ok =
      typeof actual === 'number' &&
      (name === '$gte'
        ? actual >= bound
        : name === '$lte'
          ? actual <= bound
          : name === '$gt'
            ? actual > bound
            : actual < bound)
    if (ok) return []
    const got = typeof actual === 'number' ? showValue(actual) : showTyped(actual)
    return [mismatch(pointer, `expected ${symbol} ${bound}, got ${got}`, { [name]: bound }, actual)]
  }
}

/** Match a derived number (a length, a count) against a number or a matcher. */
function matchDerived(
  label: string,
  value: number,
  expected: unknown,
  pointer: string,
  actual: unknown,
): Mismatch[] {
  return match(value, expected, pointer).map((inner) =>
    mismatch(pointer, `${label} ${reasonOf(inner)}`, inner.expected, actual),
  )
}

const matchers: Record<MatcherName, MatcherFn> = {
  $type(actual, types, pointer) {
    const list = Array.isArray(types) ? types : [types]
    if (list.some((type) => hasType(actual, String(type)))) return []
    const wanted = list.map(String).join(' or ')
    return [
      mismatch(
        pointer,
        `expected type ${wanted}, got ${showTyped(actual)}`,
        { $type: types },
        actual,
      ),
    ]
  },
  $match(actual, source, pointer) {
    let pattern: RegExp
    try {
      pattern = new RegExp(String(source))
    } catch (error) {
      const reason = `invalid matcher: $match ${showValue(source)}: ${(error as Error).message}`
      return [mismatch(pointer, reason, { $match: source }, actual)]
    }
    if (typeof actual === 'string' && pattern.test(actual)) return []
    const got = typeof actual === 'string' ? showValue(actual) : showTyped(actual)
    return [
      mismatch(
        pointer,
        `expected a string matching /${String(source)}/, got ${got}`,
        { $match: source },
        actual,
      ),
    ]
  },
  $in(actual, options, pointer) {
    const list = Array.isArray(options) ? options : [options]
    if (list.some((option) => deepEqual(actual, option))) return []
    const shown = list.map(showValue).join(', ')
    return [
      mismatch(
        pointer,
        `expected one of ${shown}, got ${showValue(actual)}`,
        { $in: options },
        actual,
      ),
    ]
  },
  $not(actual, inner, pointer) {
    if (match(actual, inner, pointer).length > 0) return []
    const reason = `expected not ${showExpected(inner)}, got ${showValue(actual)}`
    return [mismatch(pointer, reason, { $not: inner }, actual)]
  },
  $absent(actual, flag, pointer) {
    const absent = actual === undefined
    if (absent === (flag !== false)) return []
    return flag === false
      ? [mismatch(pointer, 'expected present, but it is absent', { $absent: flag }, actual)]
      : [mismatch(pointer, `expected absent, got ${showValue(actual)}`, { $absent: flag }, actual)]
  },
  $present(actual, flag, pointer) {
    const present = actual !== undefined
    if (present === (flag !== false)) return []
    return flag === false
      ? [mismatch(pointer, `expected absent, got ${showValue(actual)}`, { $present: flag }, actual)]
      : [mismatch(pointer, 'expected present, but it is absent', { $present: flag }, actual)]
  },
  $eq(actual, value, pointer) {
    if (deepEqual(actual, value)) return []
    return [
      mismatch(
        pointer,
        `expected exactly ${showValue(value)}, got ${showValue(actual)}`,
        { $eq: value },
        actual,
      ),
    ]
  },
  $gte: compare('$gte'),
  $lte: compare('$lte'),
  $gt: compare('$gt'),
  $lt: compare('$lt'),
  $length(actual, expected, pointer) {
    if (typeof actual !== 'string' && !Array.isArray(actual)) {
      const reason = `expected a string or array with length ${showExpected(expected)}, got ${showTyped(actual)}`
      return [mismatch(pointer, reason, { $length: expected }, actual)]
    }
    return matchDerived('length', actual.length, expected, pointer, actual)
  },
  $contains(actual, expected, pointer) {
    if (typeof actual === 'string') {
      if (typeof expected === 'string' && actual.includes(expected)) return []
      const reason = `expected a string containing ${showValue(expected)}, got ${showValue(actual)}`
      return [mismatch(pointer, reason, { $contains: expected }, actual)]
    }
    if (Array.isArray(actual)) {
      if (
        actual.some(
          (item, index) => match(item, expected, childPointer(pointer, index)).length === 0,
        )
      ) {
        return []
      }
      const reason = `expected an array containing ${showExpected(expected)}, got ${showValue(actual)}`
      return [mismatch(pointer, reason, { $contains: expected }, actual)]
    }
    const reason = `expected an array or string containing ${showExpected(expected)}, got ${showTyped(actual)}`
    return [mismatch(pointer, reason, { $contains: expected }, actual)]
  },
  // Space-delimited token lists (scope, RFC 6749 §3.3): every token of `actual` is one of
  // `expected`'s, e.g. a granted scope never wider than the requested one.
  $tokensIn(actual, expected, pointer) {
    const allowed = new Set(typeof expected === 'string' ? expected.split(' ') : [])
    if (typeof actual !== 'string') {
      const reason = `expected a space-delimited string within ${showValue(expected)}, got ${showTyped(actual)}`
      return [mismatch(pointer, reason, { $tokensIn: expected }, actual)]
    }
    const extra = actual.split(' ').filter((token) => token !== '' && !allowed.has(token))
    if (extra.length === 0) return []
    const reason = `expected only tokens of ${showValue(expected)}, got also ${showValue(extra.join(' '))}`
    return [mismatch(pointer, reason, { $tokensIn: expected }, actual)]
  },
  $count(actual, spec, pointer) {
    if (!isPlainObject(spec) || !('of' in spec) || !('is' in spec)) {
      return [
        mismatch(pointer, 'invalid matcher: $count needs { of, is }', { $count: spec }, actual),
      ]
    }
    if (!Array.isArray(actual)) {
      const reason = `expected an array to count ${showExpected(spec.of)} in, got ${showTyped(actual)}`
      return [mismatch(pointer, reason, { $count: spec }, actual)]
    }
    const count = actual.filter(
      (item, index) => match(item, spec.of, childPointer(pointer, index)).length === 0,
    ).length
    return matchDerived(`count of ${showExpected(spec.of)}`, count, spec.is, pointer, actual).map(
      (found) => ({ ...found, expected: { $count: spec } }),
    )
  },
  $each(actual, inner, pointer) {
    if (!Array.isArray(actual)) {
      return [
        mismatch(pointer, `expected an array, got ${showTyped(actual)}`, { $each: inner }, actual),
      ]
    }
    return actual.flatMap((item, index) => match(item, inner, childPointer(pointer, index)))
  },
  $anyOf(actual, options, pointer) {
    const list = Array.isArray(options) ? options : [options]
    const failures = list.map((option) => match(actual, option, pointer))
    if (failures.some((found) => found.length === 0)) return []
    const reasons = failures.map((found) => (found[0] ? reasonOf(found[0]) : '')).join(' | ')
    return [mismatch(pointer, `matched none of $anyOf (${reasons})`, { $anyOf: options }, actual)]
  },
  $allOf(actual, options, pointer) {
    const list = Array.isArray(options) ? options : [options]
    return list.flatMap((option) => match(actual, option, pointer))
  },
  // A step's whole data (status and body) that refuses the request (refusal.ts).
  $refusal(actual, _flag, pointer) {
    const why = whyNotRefused(actual)
    if (why === undefined) return []
    const status = (actual as { status?: unknown } | undefined)?.status
    return [mismatch(pointer, why, { $refusal: true }, status)]
  },
}

function matchMatcherObject(
  actual: unknown,
  expected: Record<string, unknown>,
  pointer: string,
): Mismatch[] {
  const keys = Object.keys(expected)
  const plain = keys.filter((key) => !key.startsWith('$'))
  if (plain.length > 0) {
    const reason = `invalid matcher: mixes $-matchers with plain members (${plain.join(', ')})`
    return [mismatch(pointer, reason, expected, actual)]
  }
  return keys.flatMap((key) => {
    const matcher = (matchers as Record<string, MatcherFn | undefined>)[key]
    if (!matcher || !Object.hasOwn(matchers, key)) {
      return [mismatch(pointer, `invalid matcher: unknown matcher ${key}`, expected, actual)]
    }
    return matcher(actual, expected[key], pointer)
  })
}

function matchObject(
  actual: unknown,
  expected: Record<string, unknown>,
  pointer: string,
): Mismatch[] {
  if (!isPlainObject(actual)) {
    // Only a missing value has no members at all: a pattern made only of absence checks holds
    // for it. Any other non-object (an HTML page, a string, an array) is a mismatch, so that
    // `{ error: { $absent: true } }` never passes vacuously on a body that is not JSON.
    // An empty pattern means "an object".
    const members = Object.values(expected)
    const holds =
      actual === undefined &&
      members.length > 0 &&
      members.every((member) => match(undefined, member, pointer).length === 0)
    if (holds) return []
    return [mismatch(pointer, `expected an object, got ${showTyped(actual)}`, expected, actual)]
  }
  return Object.entries(expected).flatMap(([key, member]) => {
    const value = Object.hasOwn(actual, key) ? actual[key] : undefined
    return match(value, member, childPointer(pointer, key))
  })
}

function matchArray(actual: unknown, expected: unknown[], pointer: string): Mismatch[] {
  if (!Array.isArray(actual)) {
    return [mismatch(pointer, `expected an array, got ${showTyped(actual)}`, expected, actual)]
  }
  if (actual.length !== expected.length) {
    const reason = `expected an array of ${expected.length}, got ${actual.length}: ${showValue(actual)}`
    return [mismatch(pointer, reason, expected, actual)]
  }
  return expected.flatMap((item, index) => match(actual[index], item, childPointer(pointer, index)))
}

function match(actual: unknown, expected: unknown, pointer: string): Mismatch[] {
  if (isMatcherObject(expected)) return matchMatcherObject(actual, expected, pointer)
  if (isPlainObject(expected)) return matchObject(actual, expected, pointer)
  if (Array.isArray(expected)) return matchArray(actual, expected, pointer)
  if (actual === expected) return []
  if (actual === undefined) {
    return [
      mismatch(pointer, `expected ${showValue(expected)}, but it is absent`, expected, actual),
    ]
  }
  const got = typeName(actual) === typeName(expected) ? showValue(actual) : showTyped(actual)
  return [mismatch(pointer, `expected ${showValue(expected)}, got ${got}`, expected, actual)]
}

/**
 * Match `actual` against an expectation: objects as subsets, arrays element by element (same
 * length), primitives by strict equality, `$`-matchers as documented in suites/README.md.
 * Never throws; an invalid matcher is a mismatch (lint reports it before a run).
 */
export function matchValue(actual: unknown, expected: unknown, pointer = ''): Mismatch[] {
  return match(actual, expected, pointer)
}
