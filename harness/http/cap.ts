/**
 * Caps on target-supplied text where the harness copies it (reports, URLs in messages, leftover
 * lists): a 900 KB `client_id` fits the 1 MiB body limit, and copied into every check, exchange
 * and message of 180 scenarios it would make reports of hundreds of MB. What is cut says so.
 */
import { setOwnMember } from '../own-member.ts'

/** Any one string copied into a report: longer than any real OAuth value. */
export const MAX_REPORTED_STRING = 16 * 1024
/**
 * The first cut, before redaction (which then never works through a 900 KB value): the margin
 * over MAX_REPORTED_STRING is longer than any secret, so a secret cut here lies wholly past the
 * final cut and no part of it stays.
 */
export const PRE_REDACTION_CAP = MAX_REPORTED_STRING + 64 * 1024
/** A value named in a one-line message (a URL, a client_id). */
export const MAX_MESSAGE_VALUE = 512

/** `text` cut to `max` characters plus a marker: `…[truncated 899000 chars]`. */
export function capText(text: string, max: number): string {
  if (text.length <= max) return text
  return `${detached(text.slice(0, max))}…[truncated ${text.length - max} chars]`
}

/**
 * A copy of `part` that does not keep its parent alive: V8 makes a slice a view of the whole
 * string, so a 16 KiB cut of a 900 KB value would hold all 900 KB for as long as the report.
 */
export function detached(part: string): string {
  return Buffer.from(part, 'utf8').toString('utf8')
}

/**
 * `value` with every string (and member name) at most `max` characters: the value itself when
 * nothing is over, else a copy. Iterative, so no nesting can overflow the stack; containers
 * deeper than `maxDepth` are replaced by a marker.
 */
export function capStrings(value: unknown, max = MAX_REPORTED_STRING, maxDepth = 256): unknown {
  if (typeof value === 'string') return capText(value, max)
  if (typeof value !== 'object' || value === null || !needsCap(value, max)) return value
  type Holder = Record<string | number, unknown>
  const root: Holder = { value }
  const stack: { holder: Holder; key: string | number; depth: number }[] = [
    { holder: root, key: 'value', depth: 0 },
  ]
  while (stack.length > 0) {
    const { holder, key, depth } = stack.pop()!
    const item = holder[key]
    if (typeof item === 'string') {
      if (item.length > max) holder[key] = capText(item, max)
      continue
    }
    if (typeof item !== 'object' || item === null) continue
    if (depth >= maxDepth) {
      holder[key] = `…[nested deeper than ${maxDepth} levels]`
      continue
    }
    const copy = Array.isArray(item) ? [...(item as unknown[])] : copyWithKeys(item as Holder, max)
    holder[key] = copy
    for (const childKey of Object.keys(copy)) {
      const next = Array.isArray(copy) ? Number(childKey) : childKey
      stack.push({ holder: copy as Holder, key: next, depth: depth + 1 })
    }
  }
  return root['value']
}

/** Whether anything below `item` is a string over `max` (iterative scan; no copy when not). */
function needsCap(item: object, max: number): boolean {
  const stack: unknown[] = [item]
  let visited = 0
  while (stack.length > 0) {
    const next = stack.pop()
    // A huge graph is copied rather than scanned twice.
    if (++visited > 100_000) return true
    if (typeof next === 'string') {
      if (next.length > max) return true
      continue
    }
    if (typeof next !== 'object' || next === null) continue
    for (const [key, child] of Object.entries(next)) {
      if (key.length > max) return true
      stack.push(child)
    }
  }
  return false
}

function copyWithKeys(item: Record<string, unknown>, max: number): Record<string, unknown> {
  const copy: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(item)) setOwnMember(copy, capText(key, max), child)
  return copy
}
