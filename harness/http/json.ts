/**
 * JSON helpers for response bodies: parsing never throws (an invalid body stays text), and a
 * body nested deeper than MAX_JSON_DEPTH is never parsed, so no recursive walk (redaction,
 * matching, templating, reporting) can overflow the stack on a hostile target's answer.
 */

/** Deeper than any real OAuth document; a hostile body of 4,000 levels is refused. */
export const MAX_JSON_DEPTH = 64

/** Whether `text` opens more than `max` nested arrays or objects (one pass, no recursion). */
export function jsonTooDeep(text: string, max = MAX_JSON_DEPTH): boolean {
  // Nesting deeper than `max` needs more than `max` brackets: counted by the native search, most
  // bodies are done without the character loop below.
  if (!opensMoreThan(text, max)) return false
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i)
    if (inString) {
      if (char === 92) i++ // backslash: skip the escaped character
      else if (char === 34) inString = false
    } else if (char === 34) inString = true
    else if (char === 123 || char === 91) {
      if (++depth > max) return true
    } else if (char === 125 || char === 93) depth--
  }
  return false
}

/** Whether `text` holds more than `max` of `{` and `[` together. */
function opensMoreThan(text: string, max: number): boolean {
  let count = 0
  for (const char of '{[') {
    for (let at = text.indexOf(char); at >= 0; at = text.indexOf(char, at + 1)) {
      if (++count > max) return true
    }
  }
  return false
}

/** `application/json`, `application/*+json` (e.g. `application/problem+json`, `jwk-set+json`). */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? ''
  return type === 'application/json' || /^application\/[\w.+-]*\+json$/.test(type)
}

export function parseJsonOrUndefined(text: string): { ok: true; value: unknown } | { ok: false } {
  return jsonTooDeep(text) ? { ok: false } : parseJson(text)
}

/** `parseJsonOrUndefined` for a text already known not to nest too deep. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}

/**
 * Whether a parsed value nests deeper than `max` (iterative, so a hostile value cannot overflow
 * the stack here either). Values reach steps from JSON bodies (capped at MAX_JSON_DEPTH), but
 * also from decoded JWTs and fixtures: runner/step.ts checks every step's data with this.
 */
export function valueTooDeep(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]]
  const seen = new WeakSet<object>()
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!
    if (typeof item !== 'object' || item === null || seen.has(item)) continue
    if (depth >= max) return true
    seen.add(item)
    for (const child of Object.values(item)) {
      if (typeof child === 'object' && child !== null) stack.push([child, depth + 1])
    }
  }
  return false
}
