/**
 * Turn rendered expectations into checks against a step's data. Every present key among
 * `status`, `headers`, `body`, `schema`, `query`, `subject`, `refused` is one check (one per
 * header name).
 * Never throws: a missing part of the step's data is a mismatch.
 */
import type { Expectation, Level } from '../model/scenario.ts'
import type { CheckResult, StepData } from '../model/result.ts'
import { childPointer, reasonOf } from './format.ts'
import { matchValue, type Mismatch } from './matchers.ts'
import type { SchemaRegistry } from './schemas.ts'

interface Check {
  name: string
  mismatches: Mismatch[]
  /** Checks of a single value read better without the `/: ` prefix. */
  scalar?: boolean
}

const MAX_ACTUAL_STRING = 2000

/** The keys of an expectation that each make a check (the rest name, level or gate them). */
export const CHECK_KEYS = ['status', 'headers', 'body', 'schema', 'query', 'subject', 'refused']

/** Lower-cased header lookup. */
function header(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined
  const wanted = name.toLowerCase()
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value
  return undefined
}

function checksOf(expectation: Expectation, data: StepData, schemas: SchemaRegistry): Check[] {
  const checks: Check[] = []
  const has = (key: keyof Expectation) => Object.hasOwn(expectation, key)
  if (has('status')) {
    checks.push({
      name: 'status',
      mismatches: matchValue(data.status, statusPattern(expectation.status)),
      scalar: true,
    })
  }
  if (has('headers')) {
    for (const [name, expected] of Object.entries(expectation.headers ?? {})) {
      const pointer = childPointer('', name.toLowerCase())
      checks.push({
        name: `headers.${name.toLowerCase()}`,
        mismatches: matchValue(header(data.headers, name), expected, pointer),
      })
    }
  }
  if (has('body'))
    checks.push({ name: 'body', mismatches: matchValue(data.body, expectation.body) })
  if (has('schema')) {
    const name = String(expectation.schema)
    checks.push({ name: `schema ${name}`, mismatches: schemaMismatches(name, data, schemas) })
  }
  if (has('query'))
    checks.push({ name: 'query', mismatches: matchValue(data.query, expectation.query) })
  if (has('refused')) {
    const mismatches = matchValue(data, { $refusal: expectation.refused })
    checks.push({ name: 'refused', mismatches, scalar: true })
  }
  if (has('subject')) {
    checks.push({
      name: 'subject',
      mismatches: matchValue(expectation.subject, expectation.is),
      scalar: true,
    })
  }
  return checks
}

/** `2xx`, `4xx`, ...: any status of that class (what a precondition usually needs). */
export function statusPattern(expected: unknown): unknown {
  if (typeof expected !== 'string') return expected
  const match = /^([1-5])xx$/.exec(expected)
  if (!match) return expected
  const base = Number(match[1]) * 100
  return { $gte: base, $lte: base + 99 }
}

/** The value at a dotted path (`body.at_hash`) of the step's data; undefined when absent. */
export function valueAt(data: StepData, path: string): unknown {
  let current: unknown = data
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return undefined
    const record = current as Record<string, unknown>
    current = Object.hasOwn(record, part) ? record[part] : undefined
  }
  return current
}

function schemaMismatches(name: string, data: StepData, schemas: SchemaRegistry): Mismatch[] {
  if (!schemas.has(name)) {
    return [{ pointer: '', message: `unknown schema "${name}"`, expected: { schema: name } }]
  }
  if (data.body === undefined) {
    return [{ pointer: '', message: '/: no body to validate', expected: { schema: name } }]
  }
  return schemas.validate(name, data.body)
}

function shorten(value: unknown): unknown {
  return typeof value === 'string' && value.length > MAX_ACTUAL_STRING
    ? `${value.slice(0, MAX_ACTUAL_STRING)}... (${value.length} chars)`
    : value
}

function messageOf(check: Check): string {
  return check.mismatches
    .map((found) => (check.scalar && found.pointer === '' ? reasonOf(found) : found.message))
    .join('; ')
}

/**
 * Evaluate rendered expectations against a step's data. Level and requirement come from the
 * expectation, else from `defaults`; the name from the expectation's `name`, else what is checked.
 * A check without a requirement is a precondition (docs/verdicts.md); one whose `when_present`
 * path is absent is not applicable.
 */
export function evaluateExpectations(
  expectations: Expectation[],
  data: StepData,
  defaults: { level: Level; requirement?: string },
  schemas: SchemaRegistry,
): CheckResult[] {
  const results: CheckResult[] = []
  for (const expectation of expectations) {
    const checks = checksOf(expectation, data, schemas)
    const level = expectation.level ?? defaults.level
    const requirement = expectation.requirement ?? defaults.requirement
    const absent =
      expectation.when_present !== undefined &&
      valueAt(data, expectation.when_present) === undefined
    for (const check of checks) {
      const name = expectation.name
        ? checks.length === 1
          ? expectation.name
          : `${expectation.name} (${check.name})`
        : check.name
      const result: CheckResult = { name, level, ok: absent || check.mismatches.length === 0 }
      if (requirement !== undefined) result.requirement = requirement
      else if (expectation.violates !== undefined) result.violates = expectation.violates
      if (absent) {
        // The feature is not there: nothing was tested, which is not a pass.
        result.notApplicable = `${expectation.when_present} is absent`
        results.push(result)
        continue
      }
      const first = check.mismatches[0]
      if (first) {
        result.message = messageOf(check)
        if (first.expected !== undefined) result.expected = first.expected
        if (first.actual !== undefined) result.actual = shorten(first.actual)
      }
      results.push(result)
    }
  }
  return results
}
