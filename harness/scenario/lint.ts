/**
 * Checks across and beyond the schema, before anything is sent: unique ids, ids matching paths,
 * references only to earlier steps, known capabilities, requirement IDs, fixtures, faults,
 * schemas, and well-formed `$`-matchers. Every problem is a `FileError` at the exact node.
 */
import { relative, sep } from 'node:path'
import { FileError } from '../errors.ts'
import { catalogLevels, expectationsOf, lintVerdictRules } from './lint-verdicts.ts'
import { lintLoginMode } from './lint-login.ts'
import { lintCimdSteps } from './lint-cimd.ts'
import type { Expectation, ScenarioDoc, StepDoc } from '../model/scenario.ts'
import { pointerSegments } from '../checks/format.ts'
import { validateMatchers } from '../checks/matcher-lint.ts'
import type { LoadedScenario } from './load.ts'
import { didYouMean, stepLabel } from './schema-check.ts'
import { findTemplateReferences, isTemplated, type TemplateReference } from './template.ts'

/** A set of known names: a `Set`, or a `Map` keyed by name (as `loadVocabulary` returns). */
export type NameSet = ReadonlySet<string> | ReadonlyMap<string, unknown>

export interface LintVocabulary {
  /** Requirement IDs scenarios may name (the `tested` list). */
  requirements: NameSet
  capabilities: NameSet
  fixtures: NameSet
  /** Reference-server fault names; `faults:` is checked only when given. */
  faults?: NameSet
  /** Schema names under fixtures/schemas; `schema:` is checked only when given. */
  schemas?: NameSet
  /** Requirement IDs listed as untested, for a clearer message. */
  untested?: NameSet
}

type Path = (string | number)[]

const STEP_META = new Set(['id', 'title', 'expect', 'requirement', 'level', 'continue'])
const ROOT_MEMBERS: Record<string, string[] | undefined> = {
  steps: undefined,
  run: ['callback_url', 'unique', 'id', 'seed'],
  target: ['issuer', 'metadata', 'endpoints', 'scope', 'auth_method', 'data', 'name', 'capabilities'],
  scenario: ['id', 'title'],
}
const MATCHED_KEYS = ['status', 'body', 'query', 'is'] as const

function names(set: NameSet): string[] {
  return set instanceof Map ? [...set.keys()] : [...(set as ReadonlySet<string>)]
}

/** Lint loaded scenarios against the vocabulary; returns every problem found (empty when clean). */
export function lintScenarios(scenarios: LoadedScenario[], vocab: LintVocabulary): FileError[] {
  const errors: FileError[] = []
  const firstById = new Map<string, LoadedScenario>()
  const levels = catalogLevels(vocab.requirements)
  for (const scenario of scenarios) {
    const found: FileError[] = []
    const error = (path: Path, reason: string, key = false) =>
      found.push(new FileError('E_SCENARIO', scenario.locate(path, { key }), reason))
    const { doc } = scenario

    const first = firstById.get(doc.id)
    if (first) {
      const where = first.locate(['id'])
      error(
        ['id'],
        `duplicate scenario id "${doc.id}" (also in ${where.file}:${where.line}:${where.column})`,
      )
    } else firstById.set(doc.id, scenario)

    const expectedId = relative(scenario.suitesRoot, scenario.file)
      .split(sep)
      .join('/')
      .replace(/\.ya?ml$/, '')
    if (doc.id !== expectedId) {
      error(['id'], `id "${doc.id}" does not match the file's path: expected "${expectedId}"`)
    }

    lintVocabulary(scenario, vocab, error)
    const known = (id: string) => vocab.requirements.has(id) || !!vocab.untested?.has(id)
    lintVerdictRules(doc, levels, known, error, (id) => vocab.requirements.has(id))
    lintSteps(scenario, error)
    lintLoginMode(doc, error)
    lintCimdSteps(doc, error)
    found.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column)
    errors.push(...found)
  }
  return errors
}

type ErrorAt = (path: Path, reason: string, key?: boolean) => void

/** One scenario's names checked against the vocabulary; `listed` holds its requirements. */
interface NameCheck {
  doc: ScenarioDoc
  vocab: LintVocabulary
  error: ErrorAt
  listed: Set<string>
}

function lintVocabulary(scenario: LoadedScenario, vocab: LintVocabulary, error: ErrorAt): void {
  const { doc } = scenario
  const check: NameCheck = { doc, vocab, error, listed: new Set() }
  doc.requirements.forEach((id, index) => {
    if (check.listed.has(id)) error(['requirements', index], `requirement "${id}" is listed twice`)
    check.listed.add(id)
    knownRequirement(check, id, ['requirements', index])
  })
  for (const key of ['requires', 'unless'] as const) {
    doc[key]?.forEach((name, index) => {
      if (!vocab.capabilities.has(name)) {
        error(
          [key, index],
          `unknown capability "${name}"${didYouMean(name, names(vocab.capabilities))}`,
        )
      }
    })
  }
  if (vocab.faults) {
    const faults = vocab.faults
    doc.faults?.forEach((name, index) => {
      if (!faults.has(name))
        error(['faults', index], `unknown fault "${name}"${didYouMean(name, names(faults))}`)
    })
  }
  for (const list of ['steps', 'cleanup'] as const) {
    doc[list]?.forEach((step, index) => lintStepNames(check, step, [list, index]))
  }
}

/** A requirement ID of the catalog; one listed as untested is named so. */
function knownRequirement(check: NameCheck, id: string, path: Path): boolean {
  const { vocab, error } = check
  if (vocab.requirements.has(id)) return true
  if (vocab.untested?.has(id)) {
    error(path, `requirement "${id}" is listed as untested in suites/requirements.yaml`)
  } else {
    error(path, `unknown requirement "${id}"${didYouMean(id, names(vocab.requirements))}`)
  }
  return false
}

/** A step's or an expectation's requirement must also be one of the scenario's. */
function requirementInScenario(check: NameCheck, id: string, path: Path, owner: string): void {
  if (knownRequirement(check, id, path) && !check.listed.has(id)) {
    check.error(
      path,
      `requirement "${id}" of ${owner} is not in the scenario's requirements (${check.doc.requirements.join(', ')})`,
    )
  }
}

/** A step's requirement and fixture, then its expectations' requirements, schemas, matchers. */
function lintStepNames(
  check: NameCheck,
  step: StepDoc,
  stepPath: ['steps' | 'cleanup', number],
): void {
  const { vocab, error } = check
  const label = stepLabel(check.doc, ...stepPath)
  if (step.requirement !== undefined)
    requirementInScenario(check, step.requirement, [...stepPath, 'requirement'], label)
  if (step.use && typeof step.use.fixture === 'string' && !isTemplated(step.use.fixture)) {
    const fixture = step.use.fixture
    if (!vocab.fixtures.has(fixture)) {
      error(
        [...stepPath, 'use', 'fixture'],
        `unknown fixture "${fixture}"${didYouMean(fixture, names(vocab.fixtures))}`,
      )
    }
  }
  for (const { expectation, path } of expectationsOf(step)) {
    const at: Path = [...stepPath, ...path]
    if (expectation.requirement !== undefined) {
      const owner = `an expectation of ${label}`
      requirementInScenario(check, expectation.requirement, [...at, 'requirement'], owner)
    }
    const schema = expectation.schema
    if (
      vocab.schemas &&
      typeof schema === 'string' &&
      !isTemplated(schema) &&
      !vocab.schemas.has(schema)
    ) {
      const hint = didYouMean(schema, names(vocab.schemas))
      error([...at, 'schema'], `unknown schema "${schema}"${hint}`)
    }
    lintMatchers(expectation, at, error)
  }
}

function lintMatchers(
  expectation: Expectation,
  at: Path,
  error: (path: Path, reason: string, key?: boolean) => void,
): void {
  const checked: [string, unknown][] = MATCHED_KEYS.filter((key) =>
    Object.hasOwn(expectation, key),
  ).map((key) => [key, expectation[key]])
  for (const [name, value] of Object.entries(expectation.headers ?? {}))
    checked.push([`headers/${name}`, value])
  for (const [key, value] of checked) {
    for (const problem of validateMatchers(value)) {
      const segments = [...key.split('/'), ...pointerSegments(problem.pointer)]
      error([...at, ...segments], problem.message)
    }
  }
}

function lintSteps(
  scenario: LoadedScenario,
  error: (path: Path, reason: string, key?: boolean) => void,
): void {
  const { doc } = scenario
  const allIds = [...doc.steps, ...(doc.cleanup ?? [])].map((step) => step.id)
  const seen = new Map<string, Path>()
  const mainIds = doc.steps.map((step) => step.id)
  for (const list of ['steps', 'cleanup'] as const) {
    doc[list]?.forEach((step, index) => {
      const path: Path = [list, index]
      const earlier = seen.get(step.id)
      if (earlier) {
        const where = scenario.locate([...earlier, 'id'])
        error([...path, 'id'], `duplicate step id "${step.id}" (first at line ${where.line})`)
      } else seen.set(step.id, path)

      const before =
        list === 'steps'
          ? mainIds.slice(0, index)
          : [...mainIds, ...(doc.cleanup ?? []).slice(0, index).map((item) => item.id)]
      const input: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(step)) if (!STEP_META.has(key)) input[key] = value
      const onError = (problem: Error, at: Path) => error([...path, ...at], problem.message)
      for (const reference of findTemplateReferences(input, [], onError)) {
        checkReference(
          reference,
          path,
          { before, allIds, ownId: step.id, inExpect: false, list },
          error,
        )
      }
      if (step.expect !== undefined) {
        for (const reference of findTemplateReferences(step.expect, ['expect'], onError)) {
          checkReference(
            reference,
            path,
            { before, allIds, ownId: step.id, inExpect: true, list },
            error,
          )
        }
      }
    })
  }
}

function checkReference(
  reference: TemplateReference,
  stepPath: Path,
  context: {
    before: string[]
    allIds: string[]
    ownId: string
    inExpect: boolean
    list: 'steps' | 'cleanup'
  },
  error: (path: Path, reason: string, key?: boolean) => void,
): void {
  const where = [...stepPath, ...reference.at]
  const expression = `\${{ ${reference.path} }}`
  const [root, member] = reference.segments
  if (typeof root !== 'string' || !Object.hasOwn(ROOT_MEMBERS, root)) {
    error(
      where,
      `unknown reference ${expression}: it must start with steps, run, target or scenario`,
    )
    return
  }
  const members = ROOT_MEMBERS[root]
  if (member === undefined) {
    error(where, `incomplete reference ${expression}: name a member of ${root}`)
    return
  }
  if (members) {
    if (!members.includes(String(member))) {
      error(
        where,
        `unknown reference ${expression}: ${root} has ${members.join(', ')}${didYouMean(String(member), members)}`,
      )
    }
    return
  }
  const { before, allIds, ownId, inExpect, list } = context
  const id = String(member)
  if (before.includes(id)) return
  if (id === ownId) {
    if (!inExpect)
      error(
        where,
        `${expression} reads step "${id}" in its own input; only its expect may read its result`,
      )
    return
  }
  if (allIds.includes(id)) {
    const phrase = list === 'cleanup' ? 'a main step or an earlier cleanup step' : 'an earlier step'
    error(
      where,
      `${expression} refers to step "${id}", which runs later (only ${phrase} may be read)`,
    )
  } else {
    error(where, `${expression} refers to unknown step "${id}"${didYouMean(id, allIds)}`)
  }
}
