/** Small helpers to show values and JSON Pointers in check messages. */
import { detached } from '../http/cap.ts'

const MAX_SHOWN = 500

/** A value as JSON for a message, cut to about 500 characters; `undefined` reads as "absent". */
export function showValue(value: unknown): string {
  if (value === undefined) return 'absent'
  let text: string
  try {
    text = typeof value === 'bigint' ? String(value) : (JSON.stringify(value) ?? String(value))
  } catch {
    text = String(value)
  }
  // A detached copy: a slice would keep a whole hostile body alive with the message (http/cap.ts).
  return text.length > MAX_SHOWN ? `${detached(text.slice(0, MAX_SHOWN))}... (${text.length} chars)` : text
}

/** The JSON type name of a value: `null`, `array`, `integer`/`number`, `object`, ... */
export function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (value === undefined) return 'absent'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

/** A value with its type for type mismatches: `string "0"`, `array [1,2]`, `absent`. */
export function showTyped(value: unknown): string {
  if (value === undefined) return 'absent'
  return `${typeName(value)} ${showValue(value)}`
}

/**
 * Append one member name or index to a JSON Pointer (escaping `~` and `/`).
 * @see https://www.rfc-editor.org/rfc/rfc6901#section-3
 */
export function childPointer(pointer: string, key: string | number): string {
  return `${pointer}/${String(key).replaceAll('~', '~0').replaceAll('/', '~1')}`
}

/**
 * The segments of a JSON Pointer, unescaped (`/a~1b/0` -> `['a/b', '0']`).
 * @see https://www.rfc-editor.org/rfc/rfc6901#section-4
 */
export function pointerSegments(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return pointer === '/' ? [''] : []
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
}

/** The value at a JSON Pointer, or undefined. */
export function valueAtPointer(root: unknown, pointer: string): unknown {
  let current = root
  for (const segment of pointerSegments(pointer)) {
    if (current === null || typeof current !== 'object') return undefined
    if (!Object.hasOwn(current, segment)) return undefined
    current = (current as Record<string, unknown>)[segment]
  }
  return current
}

/** `pointer: reason`, the root shown as `/`. */
export function pointerMessage(pointer: string, reason: string): string {
  return `${pointer === '' ? '/' : pointer}: ${reason}`
}

/** The reason of a `pointer: reason` message, without its pointer. */
export function reasonOf(found: { pointer: string; message: string }): string {
  const prefix = `${found.pointer === '' ? '/' : found.pointer}: `
  return found.message.startsWith(prefix) ? found.message.slice(prefix.length) : found.message
}
