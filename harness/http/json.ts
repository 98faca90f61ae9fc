/** JSON helpers for response bodies: parsing never throws (an invalid body stays text). */

/** `application/json`, `application/*+json` (e.g. `application/problem+json`, `jwk-set+json`). */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false
  const type = contentType.split(';')[0]?.trim().toLowerCase() ?? ''
  return type === 'application/json' || /^application\/[\w.+-]*\+json$/.test(type)
}

export function parseJsonOrUndefined(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown }
  } catch {
    return { ok: false }
  }
}
