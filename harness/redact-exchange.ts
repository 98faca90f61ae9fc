/**
 * Redaction of an exchange's parts (docs/redaction.md): credential headers and cookies, form
 * fields named like credentials, and bodies by their content type.
 */
import { jsonTooDeep } from './http/json.ts'
import { setOwnMember } from './own-member.ts'
import { MIN_LEARNED_LENGTH } from './redact-learned.ts'
import { replaceMatches, standsAsToken } from './redact-matcher.ts'
import {
  decodeFormComponent,
  isCredentialName,
  isSecretValue,
  publicNames,
  secretHeaders,
} from './redact-names.ts'
import type { SecretKeeper } from './redact-text.ts'

/** Credential headers first (a Set-Cookie teaches the Location beside it); order kept. */
export function redactHeaders(
  keeper: SecretKeeper,
  headers: Record<string, unknown>,
): Record<string, unknown> {
  const redactOne = (name: string, value: unknown) =>
    Array.isArray(value)
      ? value.map((item: string) => redactHeaderValue(keeper, name, item))
      : redactHeaderValue(keeper, name, value as string)
  const names = Object.keys(headers)
  const done = new Map<string, unknown>()
  for (const name of names)
    if (secretHeaders.has(name.toLowerCase())) done.set(name, redactOne(name, headers[name]))
  const copy: Record<string, unknown> = {}
  for (const name of names)
    setOwnMember(copy, name, done.has(name) ? done.get(name) : redactOne(name, headers[name]))
  return copy
}

function redactHeaderValue(keeper: SecretKeeper, name: string, value: string): string {
  const { learn, mark } = keeper
  const lower = name.toLowerCase()
  if (!secretHeaders.has(lower)) return keeper.redactText(value, true)
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const match = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+(\S[\s\S]*)$/.exec(value)
    if (!match) {
      learn(value)
      return mark(lower)
    }
    const scheme = match[1] ?? ''
    keeper.learnCredentials(scheme, (match[2] ?? '').trim())
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
  const values: string[] = []
  const cookiesRedacted = value.replace(
    /(^|[\n,])(\s*)([^=;,\s]+)=([^;,\n]*)/g,
    (_match, lead: string, space: string, cookieName: string, cookieValue: string) => {
      learn(cookieValue.trim())
      values.push(cookieValue.trim())
      return `${lead}${space}${cookieName}=${mark('set-cookie')}`
    },
  )
  // An attribute may repeat a value (oidc-provider: `path=/interaction/<the cookie's value>`):
  // the header's own values wherever they stand whole, then every strong learned value.
  const own = redactRepeatedValues(cookiesRedacted, values, mark('set-cookie'))
  return keeper.learned.replace(own, mark())
}

/** Each of `values` (long enough to be learned) where it stands as a whole token. */
function redactRepeatedValues(text: string, values: readonly string[], mark: string): string {
  const matches: [number, number][] = []
  for (const value of new Set(values)) {
    if (value.length < MIN_LEARNED_LENGTH) continue
    for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1))
      if (standsAsToken(text, at, { value })) matches.push([at, at + value.length])
  }
  return replaceMatches(text, matches, mark)
}

function redactForm(keeper: SecretKeeper, body: string): string {
  const { learn, learned, mark } = keeper
  return body
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      if (eq < 0) return keeper.redactText(pair, true)
      const name = decodeFormComponent(pair.slice(0, eq))
      const value = pair.slice(eq + 1)
      if (publicNames.has(name.toLowerCase())) return learned.replace(pair, mark())
      if (isCredentialName(name) && isSecretValue(name, decodeFormComponent(value))) {
        learn(decodeFormComponent(value))
        learn(value)
        return `${pair.slice(0, eq + 1)}${mark(name.toLowerCase())}`
      }
      return `${pair.slice(0, eq + 1)}${keeper.redactText(value, true)}`
    })
    .join('&')
}

/**
 * A request or response body by its content type: JSON walked as a value (`walkJson`), a form
 * field by field, anything else as text.
 */
export function redactBody(
  keeper: SecretKeeper,
  body: string,
  headers: Record<string, unknown>,
  walkJson: (parsed: unknown) => unknown,
): string {
  const contentType = contentTypeOf(headers)
  const trimmed = body.trimStart()
  const looksJson = trimmed.startsWith('{') || trimmed.startsWith('[')
  // Too deep to walk: redacted as text (learned values, patterns) instead.
  if ((contentType.includes('json') || (!contentType && looksJson)) && !jsonTooDeep(body)) {
    try {
      const parsed: unknown = JSON.parse(body)
      const redacted = walkJson(parsed)
      // Nothing secret: keep the body byte for byte (re-serialising would round big numbers).
      if (JSON.stringify(redacted) === JSON.stringify(parsed)) return body
      return JSON.stringify(redacted, null, /\n\s/.test(body) ? 2 : undefined)
    } catch {
      // Not JSON after all: fall through to text.
    }
  }
  if (contentType.includes('application/x-www-form-urlencoded')) return redactForm(keeper, body)
  return keeper.redactText(body, true)
}

function contentTypeOf(headers: Record<string, unknown>): string {
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'content-type' && typeof value === 'string')
      return value.toLowerCase()
  }
  return ''
}
