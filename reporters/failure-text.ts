/**
 * What every reporter says about a failing check, the same way (issue 11, item 7): the
 * requirement with its title and spec link, expected and actual once (not again when the
 * message already shows them), and the exchanges that are the step's subject.
 */
import { showValue } from '../harness/checks/format.ts'
import type { CheckResult, Exchange, StepResult } from '../harness/model/result.ts'
import type { Report, RequirementVerdict } from '../harness/model/report.ts'
import { specLink } from '../harness/verdicts/spec-links.ts'

/** What a reporter shows about a requirement: id, title, where it is written. */
export type RequirementRef = Pick<RequirementVerdict, 'id' | 'title' | 'source' | 'url'>

export type RequirementIndex = ReadonlyMap<string, RequirementRef>

/** The report's requirement rows by id. */
export function requirementIndex(report: Pick<Report, 'requirements'>): RequirementIndex {
  return new Map(report.requirements.map((row) => [row.id, row]))
}

/** A link is shown only as a plain https URL (a merged report is read from a file). */
export function safeUrl(url: string | undefined): string | undefined {
  return url && /^https:\/\/[^\s()<>"'`]+$/.test(url) ? url : undefined
}

/** The row of `id`, else what its id alone says (a report from before `source`/`url`). */
export function requirementRef(id: string, index?: RequirementIndex): RequirementRef {
  const row = index?.get(id)
  const url = safeUrl(row?.url)
  const link = url ? { source: row?.source ?? url, url } : specLink(id)
  const { url: _url, source: _source, ...rest } = row ?? { id }
  return { ...rest, id, ...(link ? { source: link.source, url: link.url } : {}) }
}

/** `R7591-3.2.1-a "Success is 201 Created" (RFC 7591 §3.2.1 https://...)`. */
export function requirementText(ref: RequirementRef): string {
  const title = ref.title ? ` "${ref.title}"` : ''
  const where = ref.url ? ` (${ref.source ?? ''} ${ref.url})`.replace('( ', '(') : ''
  return `${ref.id}${title}${where}`
}

/**
 * The expected and actual values a check's message does not already show: a message like
 * `expected 201, got 200` needs no `expected:`/`actual:` lines after it.
 */
export function valuesNotInMessage(check: CheckResult): { expected?: unknown; actual?: unknown } {
  const message = check.message ?? ''
  // A value the message shows whole; one it shows cut short is given in full below it.
  const shown = (value: unknown) => {
    const text = showValue(value)
    return message.includes(text) && !/\.\.\. \(\d+ chars\)$/.test(text)
  }
  // A matcher (`{ $match: ... }`) the message already words as "expected a string matching".
  const described = (value: unknown) =>
    /\bexpected\b/.test(message) && isMatcher(value)
  const found: { expected?: unknown; actual?: unknown } = {}
  if (check.expected !== undefined && !shown(check.expected) && !described(check.expected)) {
    found.expected = check.expected
  }
  if (check.actual !== undefined && !shown(check.actual)) found.actual = check.actual
  return found
}

function isMatcher(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const keys = Object.keys(value)
  return keys.length > 0 && keys.every((key) => key.startsWith('$'))
}

/** A form request with a grant: how the IAT strategy obtains its token (harness/config/iat.ts). */
function isTokenRequest(exchange: Exchange): boolean {
  const type = exchange.request.headers['content-type'] ?? ''
  const body = exchange.request.body ?? ''
  return type.includes('x-www-form-urlencoded') && /(^|&)grant_type=/.test(body)
}

/**
 * The exchanges a step is about: a registration's own request, not the initial access token
 * fetched for it (that one is shown only where it is the subject: a `token` step).
 */
export function subjectExchanges(step: StepResult): Exchange[] {
  if (step.action !== 'register' && step.action !== 'parallel') return step.exchanges
  const own = step.exchanges.filter((exchange) => !isTokenRequest(exchange))
  return own.length > 0 ? own : step.exchanges
}

/** A body for reading: JSON pretty-printed, anything else as it came; then cut to `max`. */
export function prettyBody(text: string, max: number): string {
  let shown = text
  const start = text.trimStart()[0]
  if (start === '{' || start === '[') {
    try {
      shown = JSON.stringify(JSON.parse(text), null, 2)
    } catch {
      shown = text
    }
  }
  if (shown.length <= max) return shown
  return `${shown.slice(0, max)}… (${shown.length - max} more characters)`
}

/** `suites/registration/status.yaml:12` when the step's line is known. */
export function fileAndLine(file: string, step?: Pick<StepResult, 'line'>): string {
  return step?.line ? `${file}:${step.line}` : file
}
