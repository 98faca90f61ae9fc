/**
 * Validate a parsed scenario against scenario.schema.json and turn ajv's errors into one clear,
 * located reason each. The "exactly one action" rules are checked on the data directly, because
 * ajv's `oneOf` errors name every alternative rather than the problem.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import { FileError } from '../errors.ts'
import { ACTION_NAMES } from '../model/scenario.ts'
import { pointerSegments } from '../checks/format.ts'
import { CHECK_KEYS } from '../checks/evaluate.ts'
import type { Locate } from '../yaml/source-map.ts'
import { packagePath } from '../package-root.ts'
import {
  AJV_OPTIONS,
  loadSchemaCode,
  SCENARIO_AJV_OPTIONS,
  SCENARIO_SCHEMA_CODE_FILE,
  schemaDigest,
} from '../checks/schema-code.ts'
import { didYouMean } from '../did-you-mean.ts'

export { didYouMean }

const schemaFile = packagePath('harness', 'scenario', 'scenario.schema.json')
const schemaText = readFileSync(schemaFile, 'utf8')
const validateScenario = compiledScenarioValidator() ?? compileScenarioValidator()

/** The validator `npm run build` compiled (schema-code.ts), while the schema is still the same. */
function compiledScenarioValidator(): ValidateFunction | undefined {
  const path = fileURLToPath(new URL(SCENARIO_SCHEMA_CODE_FILE, import.meta.url))
  const digest = schemaDigest([{ name: 'scenario', text: schemaText }])
  return loadSchemaCode(path, digest)?.get('scenario')
}

function compileScenarioValidator(): ValidateFunction {
  const ajv = new Ajv2020({ ...AJV_OPTIONS, ...SCENARIO_AJV_OPTIONS })
  return ajv.compile(JSON.parse(schemaText) as Record<string, unknown>)
}

const PARALLEL_REQUESTS = ['register', 'http', 'token']
const COUNT_WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six']

type Path = (string | number)[]

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

function valueAt(root: unknown, path: Path): unknown {
  let current = root
  for (const segment of path) {
    if (Array.isArray(current)) current = current[Number(segment)]
    else current = record(current)?.[String(segment)]
  }
  return current
}

/** JSON Pointer -> path, with numbers where the data holds arrays. */
function pathOf(root: unknown, pointer: string): Path {
  const path: Path = []
  let current = root
  for (const segment of pointerSegments(pointer)) {
    const step: string | number = Array.isArray(current) ? Number(segment) : segment
    path.push(step)
    current = valueAt(current, [step])
  }
  return path
}

/** `step "first"`, `cleanup step "delete"`, or `step 2` when it has no usable id. */
export function stepLabel(root: unknown, list: string, index: number): string {
  const id = record(valueAt(root, [list, index]))?.id
  const name = typeof id === 'string' && id !== '' ? `"${id}"` : `${index + 1}`
  return `${list === 'cleanup' ? 'cleanup step' : 'step'} ${name}`
}

/** Where an object sits, in words: `scenario`, `step "x"`, `register input of step "x"`, ... */
export function describeObject(root: unknown, path: Path): string {
  if (path.length === 0) return 'scenario'
  const [list, index, ...rest] = path
  if ((list !== 'steps' && list !== 'cleanup') || typeof index !== 'number') return formatPath(path)
  const step = stepLabel(root, list, index)
  if (rest.length === 0) return step
  const [first, second, ...deeper] = rest
  if (
    first === 'expect' &&
    (rest.length === 1 || (typeof second === 'number' && deeper.length === 0))
  ) {
    return `expectation of ${step}`
  }
  if (
    typeof first === 'string' &&
    (ACTION_NAMES as readonly string[]).includes(first) &&
    rest.length === 1
  ) {
    return `${first} input of ${step}`
  }
  return `${formatPath(rest)} in ${step}`
}

/** `register.metadata.redirect_uris[0]` */
export function formatPath(path: Path): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`,
    )
    .join('')
}

function describeValue(root: unknown, path: Path): string {
  if (path.length <= 1) return formatPath(path) || 'scenario'
  const [list, index, ...rest] = path
  if ((list === 'steps' || list === 'cleanup') && typeof index === 'number' && rest.length > 0) {
    return `${formatPath(rest)} in ${stepLabel(root, list, index)}`
  }
  return formatPath(path)
}

function typeReason(error: ErrorObject): string {
  const parent = error.parentSchema as Record<string, unknown> | undefined
  const expected = parent?.['x-expected']
  if (typeof expected === 'string') return `must be ${expected}`
  const type = (error.params as { type: string | string[] }).type
  const list = Array.isArray(type) ? type : String(type).split(',')
  const words = list.map((name) =>
    name === 'object' ? 'a mapping' : name === 'array' ? 'a list' : `a ${name}`,
  )
  return `must be ${words.join(' or ')}`
}

function hasActionKey(value: unknown, names: readonly string[]): boolean {
  const object = record(value)
  return object !== undefined && names.some((name) => Object.hasOwn(object, name))
}

/** The problems found so far in one document, each reported once per place and reason. */
interface Collector {
  doc: unknown
  locate: Locate
  errors: FileError[]
  seen: Set<string>
  /** Steps whose missing action is already explained by an unknown key. */
  explained: Set<string>
  /** Instance paths that already have a type error. */
  typed: Set<string>
}

function report(c: Collector, path: Path, reason: string, key = false): void {
  const location = c.locate(path, { key })
  const identity = `${location.line}:${location.column}:${reason}`
  if (c.seen.has(identity)) return
  c.seen.add(identity)
  c.errors.push(new FileError('E_SCENARIO', location, reason))
}

/** Every schema problem of one scenario document, each located at its node. */
export function checkScenarioSchema(doc: unknown, locate: Locate): FileError[] {
  const c: Collector = {
    doc,
    locate,
    errors: [],
    seen: new Set(),
    explained: new Set(),
    typed: new Set(),
  }
  if (!validateScenario(doc)) {
    for (const error of validateScenario.errors ?? []) reportSchemaError(c, error)
  }
  checkStructure(c)
  return c.errors
}

/** One ajv error as one reason; the alternatives' errors are left to the checks that follow. */
function reportSchemaError(c: Collector, error: ErrorObject): void {
  if (['oneOf', 'anyOf', 'if'].includes(error.keyword)) return
  if (/\/(oneOf|anyOf)\/\d+\//.test(error.schemaPath)) return
  const { doc } = c
  const path = pathOf(doc, error.instancePath)
  const params = error.params as Record<string, unknown>
  switch (error.keyword) {
    case 'additionalProperties':
      return reportUnknownKey(c, error, path)
    case 'required':
      return report(
        c,
        path,
        `missing required key "${String(params.missingProperty)}" in ${describeObject(doc, path)}`,
      )
    case 'dependentRequired':
      return report(
        c,
        [...path, String(params.property)],
        `"${String(params.property)}" needs "${String(params.missingProperty)}" in ${describeObject(doc, path)}`,
        true,
      )
    case 'type':
      // An if/then/else alternative repeats the type error of its parent: keep the first.
      if (c.typed.has(error.instancePath)) return
      c.typed.add(error.instancePath)
      return report(c, path, `${describeValue(doc, path)} ${typeReason(error)}`)
    default:
      return report(c, path, valueReason(doc, error, path))
  }
}

/** An unknown key; in a step without any action, it is most likely a misspelt action. */
function reportUnknownKey(c: Collector, error: ErrorObject, path: Path): void {
  const name = String((error.params as Record<string, unknown>).additionalProperty)
  const properties = Object.keys(
    ((error.parentSchema as Record<string, unknown> | undefined)?.properties ?? {}) as object,
  )
  const isStep = path.length === 2 && (path[0] === 'steps' || path[0] === 'cleanup')
  const where = describeObject(c.doc, path)
  if (isStep && !hasActionKey(valueAt(c.doc, path), ACTION_NAMES)) {
    c.explained.add(JSON.stringify(path))
    const hint = didYouMean(name, ACTION_NAMES) || ` (actions: ${ACTION_NAMES.join(', ')})`
    report(c, [...path, name], `unknown action "${name}" in ${where}${hint}`, true)
  } else {
    const hint = didYouMean(name, properties)
    report(c, [...path, name], `unknown key "${name}" in ${where}${hint}`, true)
  }
}

/** What is wrong with the value at `path` (enum, pattern, minItems, minLength, the rest). */
function valueReason(doc: unknown, error: ErrorObject, path: Path): string {
  const params = error.params as Record<string, unknown>
  const what = describeValue(doc, path)
  switch (error.keyword) {
    case 'enum': {
      const allowed = ((params.allowedValues as unknown[]) ?? []).map((v) => JSON.stringify(v))
      return `${what} must be one of ${allowed.join(', ')}`
    }
    case 'pattern':
      return `${what} ${JSON.stringify(valueAt(doc, path))} must match ${String(params.pattern)}`
    case 'minItems': {
      const limit = Number(params.limit)
      return `${what} needs at least ${limit} item${limit === 1 ? '' : 's'}`
    }
    case 'minLength':
      return `${what} must not be empty`
    default:
      return `${what} ${error.message ?? `fails ${error.keyword}`}`
  }
}

/** The "exactly one" rules (action, parallel request, check), checked on the data itself. */
function checkStructure(c: Collector): void {
  const { doc, explained } = c
  const add = (path: Path, reason: string, key?: boolean): void => report(c, path, reason, key)
  for (const list of ['steps', 'cleanup']) {
    const steps = record(doc)?.[list]
    if (!Array.isArray(steps)) continue
    steps.forEach((value, index) => {
      const step = record(value)
      if (!step) return
      const path: Path = [list, index]
      const label = stepLabel(doc, list, index)
      const actions = ACTION_NAMES.filter((name) => Object.hasOwn(step, name))
      if (actions.length === 0 && !explained.has(JSON.stringify(path))) {
        add(path, `${label} has no action (one of ${ACTION_NAMES.join(', ')})`)
      } else if (actions.length > 1) {
        add(
          [...path, actions[1] as string],
          `${label} has ${COUNT_WORDS[actions.length]} actions: ${actions.join(', ')}`,
          true,
        )
      }
      const parallel = record(step.parallel)
      if (parallel) {
        const requests = PARALLEL_REQUESTS.filter((name) => Object.hasOwn(parallel, name))
        if (requests.length === 0) {
          add(
            [...path, 'parallel'],
            `parallel in ${label} needs one request: register, http or token`,
          )
        } else if (requests.length > 1) {
          add(
            [...path, 'parallel', requests[1] as string],
            `parallel in ${label} has ${COUNT_WORDS[requests.length]} requests: ${requests.join(', ')}`,
            true,
          )
        }
      }
      const expect = step.expect
      const expectations = Array.isArray(expect)
        ? expect.map((item, at) => [item, at] as const)
        : [[expect, -1] as const]
      for (const [expectation, at] of expectations) {
        const object = record(expectation)
        if (!object || CHECK_KEYS.some((key) => Object.hasOwn(object, key))) continue
        const where: Path = at < 0 ? [...path, 'expect'] : [...path, 'expect', at]
        add(where, `expectation of ${label} has no check (one of ${CHECK_KEYS.join(', ')})`)
      }
    })
  }
}
