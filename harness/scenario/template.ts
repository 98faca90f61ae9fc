/**
 * `${{ path }}` templating on already-parsed values. Paths are looked up, never evaluated: there
 * is no code, no operators, no function calls. A string that is exactly one expression keeps the
 * type of the value it refers to; expressions embedded in text are stringified. `$${{` is a
 * literal `${{`. Inside a `$match` pattern an expression stands for its value as literal text
 * (regular-expression characters escaped): a URL's dots match dots, not any character.
 */
import { setOwnMember } from '../own-member.ts'
import { HarnessError } from '../errors.ts'

/** One piece of a template string: literal text or a reference path. */
export type TemplatePart = { text: string } | { path: string; segments: (string | number)[] }

const OPEN = '${{'
const CLOSE = '}}'
const NAME = /^[A-Za-z0-9_-]+/
const INDEX = /^\[(\d+)\]/
const QUOTED = /^\[(?:'([^']*)'|"([^"]*)")\]/

/**
 * Parse a reference path such as `steps.reg.body.client_id`, `a.b[0].c`, `a.b.0.c` or
 * `a['client_name#ja']`. Throws `E_TEMPLATE` on a malformed path.
 */
export function parseTemplatePath(path: string): (string | number)[] {
  const segments: (string | number)[] = []
  let rest = path
  let first = true
  while (rest.length > 0) {
    if (!first && rest.startsWith('.')) rest = rest.slice(1)
    else if (!first && !rest.startsWith('[')) break
    const name = NAME.exec(rest)
    const index = name ? null : INDEX.exec(rest)
    const quoted = name || index ? null : QUOTED.exec(rest)
    if (name) {
      segments.push(/^\d+$/.test(name[0]) && !first ? Number(name[0]) : name[0])
      rest = rest.slice(name[0].length)
    } else if (index && !first) {
      segments.push(Number(index[1]))
      rest = rest.slice(index[0].length)
    } else if (quoted && !first) {
      segments.push(quoted[1] ?? quoted[2] ?? '')
      rest = rest.slice(quoted[0].length)
    } else {
      break
    }
    first = false
  }
  if (rest.length > 0 || segments.length === 0) {
    throw new HarnessError('E_TEMPLATE', `malformed reference "${path}" in \${{ ${path} }}`)
  }
  return segments
}

/** Split a string into literal text and references. Throws `E_TEMPLATE` on a malformed template. */
export function parseTemplate(source: string): TemplatePart[] {
  const parts: TemplatePart[] = []
  let text = ''
  let at = 0
  while (at < source.length) {
    if (source.startsWith('$' + OPEN, at)) {
      text += OPEN
      at += OPEN.length + 1
      continue
    }
    if (!source.startsWith(OPEN, at)) {
      text += source[at]
      at += 1
      continue
    }
    const end = source.indexOf(CLOSE, at + OPEN.length)
    if (end < 0) {
      throw new HarnessError(
        'E_TEMPLATE',
        `unclosed \${{ in "${source}" (write $\${{ for a literal \${{)`,
      )
    }
    const path = source.slice(at + OPEN.length, end).trim()
    if (path.length === 0) throw new HarnessError('E_TEMPLATE', `empty \${{ }} in "${source}"`)
    if (text) parts.push({ text })
    text = ''
    parts.push({ path, segments: parseTemplatePath(path) })
    at = end + CLOSE.length
  }
  if (text || parts.length === 0) parts.push({ text })
  return parts
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false
  const proto = Object.getPrototypeOf(value) as unknown
  return proto === Object.prototype || proto === null
}

function describeSegments(segments: (string | number)[]): string {
  return segments
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('')
}

/**
 * A reference that does not resolve, with where it stops (`segments[missingAt]` is not in its
 * parent), so callers tell what is missing without reading the message.
 */
export class UnresolvedReferenceError extends HarnessError {
  readonly segments: readonly (string | number)[]
  readonly missingAt: number
  constructor(message: string, segments: readonly (string | number)[], missingAt: number) {
    super('E_TEMPLATE', message)
    this.name = 'UnresolvedReferenceError'
    this.segments = segments
    this.missingAt = missingAt
  }
}

/** Look a path up in the scope: own members of plain objects and indices of arrays only. */
export function resolvePath(
  scope: unknown,
  path: string,
  segments: (string | number)[],
  unsetAsAbsent = false,
): unknown {
  let current: unknown = scope
  for (const [index, segment] of segments.entries()) {
    let next: unknown = undefined
    let found = false
    if (Array.isArray(current)) {
      const position = typeof segment === 'number' ? segment : Number.NaN
      found = Number.isInteger(position) && position >= 0 && position < current.length
      if (found) next = current[position]
    } else if (current !== null && typeof current === 'object') {
      const key = String(segment)
      found = Object.hasOwn(current, key) && (current as Record<string, unknown>)[key] !== undefined
      if (found) next = (current as Record<string, unknown>)[key]
    }
    if (!found && unsetAsAbsent && isUnsetTargetMember(current, segments, index)) return undefined
    if (!found) {
      const parent = index === 0 ? 'the scope' : describeSegments(segments.slice(0, index))
      const known = knownMembers(current)
      const message = `unresolved reference ${path}: no "${segment}" in ${parent}${known}`
      throw new UnresolvedReferenceError(message, segments, index)
    }
    current = next
  }
  return current
}

/**
 * A member of the target the run knows to have no value: `target.scope` when the target names no
 * scope, is not OpenID and advertises none (config/scope.ts). It renders as absent, not as an
 * error: a registration or an authorization request without a scope is what RFC 6749 §3.3 and
 * RFC 7591 §2 allow, and the server's default applies.
 */
function isUnsetTargetMember(
  parent: unknown,
  segments: readonly (string | number)[],
  index: number,
): boolean {
  return (
    segments.length === 2 &&
    index === 1 &&
    segments[0] === 'target' &&
    segments[1] === 'scope' &&
    typeof parent === 'object' &&
    parent !== null &&
    Object.hasOwn(parent, 'scope')
  )
}

function knownMembers(value: unknown): string {
  if (Array.isArray(value)) return ` (an array of ${value.length})`
  if (value === null || typeof value !== 'object') {
    return ` (it is ${value === null ? 'null' : typeof value})`
  }
  const keys = Object.keys(value)
  if (keys.length === 0) return ' (it is empty)'
  const shown = keys.slice(0, 12).join(', ')
  return ` (has: ${shown}${keys.length > 12 ? ', ...' : ''})`
}

function stringify(value: unknown): string {
  if (typeof value === 'string') return value
  if (value !== null && typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** The matcher whose pattern is a regular expression (harness/checks/matchers.ts). */
const PATTERN_KEY = '$match'

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** How rendering treats a target member known to have no value (isUnsetTargetMember). */
export interface RenderOptions {
  /**
   * `absent` (a request's input, a `when`): left out, and no gap in text. Default `error`: in an
   * expectation it would empty the check (`body: { scope: ... }` would match anything).
   */
  unset?: 'absent' | 'error'
}

function renderString(
  source: string,
  scope: Record<string, unknown>,
  options: RenderOptions,
  inPattern = false,
): unknown {
  if (!source.includes(OPEN)) return source
  const parts = parseTemplate(source)
  const only = parts[0]
  const absent = options.unset === 'absent' && !inPattern
  if (!inPattern && parts.length === 1 && only && 'path' in only) {
    return resolvePath(scope, only.path, only.segments, absent)
  }
  let unset = false
  const value = (part: { path: string; segments: (string | number)[] }) => {
    const resolved = resolvePath(scope, part.path, part.segments, absent)
    if (resolved === undefined) unset = true
    const text = resolved === undefined ? '' : stringify(resolved)
    return inPattern ? escapeRegExp(text) : text
  }
  const text = parts.map((part) => ('text' in part ? part.text : value(part))).join('')
  // An unset member in a list such as `${{ target.scope }} extra` leaves no gap behind.
  return unset ? text.replace(/\s{2,}/g, ' ').trim() : text
}

/**
 * Render every string leaf of `value` against `scope`. Object keys are never templated.
 * Throws `UnresolvedReferenceError` (E_TEMPLATE, 'unresolved reference steps.x.y: ...') on the
 * first reference that does not resolve.
 */
export function renderTemplate(
  value: unknown,
  scope: Record<string, unknown>,
  options: RenderOptions = {},
): unknown {
  if (typeof value === 'string') return renderString(value, scope, options)
  // What renders as absent (an unset target member, isUnsetTargetMember) is left out.
  if (Array.isArray(value)) {
    const items = value.map((item) => renderTemplate(item, scope, options))
    return items.filter((item) => item !== undefined)
  }
  if (isPlainObject(value)) {
    const rendered: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      const pattern = key === PATTERN_KEY && typeof item === 'string'
      const copy = pattern
        ? renderString(item, scope, options, true)
        : renderTemplate(item, scope, options)
      if (copy !== undefined) setOwnMember(rendered, key, copy)
    }
    return rendered
  }
  return value
}

/** A reference found in a value, with where it was found (object keys and array indices). */
export interface TemplateReference {
  path: string
  segments: (string | number)[]
  /** Location of the string holding it, relative to the value that was searched. */
  at: (string | number)[]
}

/**
 * Every reference in `value`, with its location. Malformed templates are reported through
 * `onError` (or thrown when no callback is given).
 */
export function findTemplateReferences(
  value: unknown,
  at: (string | number)[] = [],
  onError?: (error: HarnessError, at: (string | number)[]) => void,
): TemplateReference[] {
  if (typeof value === 'string') {
    if (!value.includes(OPEN)) return []
    try {
      return parseTemplate(value).flatMap((part) =>
        'path' in part ? [{ path: part.path, segments: part.segments, at }] : [],
      )
    } catch (error) {
      if (onError && error instanceof HarnessError) {
        onError(error, at)
        return []
      }
      throw error
    }
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => findTemplateReferences(item, [...at, index], onError))
  }
  if (isPlainObject(value)) {
    return Object.entries(value).flatMap(([key, item]) =>
      findTemplateReferences(item, [...at, key], onError),
    )
  }
  return []
}

/** Every reference path used in `value`, in document order (`['steps.reg.body', 'run.unique']`). */
export function templateReferences(value: unknown): string[] {
  return findTemplateReferences(value).map((reference) => reference.path)
}

/** Whether a string holds at least one `${{ }}` expression (so its final type is unknown). */
export function isTemplated(value: unknown): boolean {
  if (typeof value !== 'string' || !value.includes(OPEN)) return false
  try {
    return parseTemplate(value).some((part) => 'path' in part)
  } catch {
    return true
  }
}
