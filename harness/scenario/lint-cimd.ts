/**
 * Lint of the Client ID Metadata Document fixtures (`cimd-document`, `cimd-requests`;
 * harness/cimd/document.ts): a scenario using them requires `client_id_metadata_documents` (a
 * raw `body`, such as a sector identifier, `harness_https_host` at least), else it would run, and
 * error, on targets without a publisher; `with` names only inputs the fixture
 * reads, the literal values have their types, and the answer is one thing (a document, a raw
 * body, a redirect or a reset connection). Templated values are checked when they run.
 */
import { CIMD_DOCUMENT_INPUTS } from '../cimd/document.ts'
import { CIMD_CAPABILITY, PUBLISHER_CAPABILITY } from '../cimd/capability.ts'
import { didYouMean } from '../did-you-mean.ts'
import type { ScenarioDoc, StepDoc } from '../model/scenario.ts'
import { isTemplated } from './template.ts'

type Path = (string | number)[]
type Report = (path: Path, reason: string, key?: boolean) => void

const CIMD_FIXTURES = new Set(['cimd-document', 'cimd-requests'])
/** Inputs that each replace the JSON document with another answer. */
const ANSWERS = ['body', 'redirect_to', 'reset'] as const
/** Answers without a served body: the publisher ignores the response inputs with them. */
const NO_BODY_ANSWERS = ['redirect_to', 'reset'] as const
const RESPONSE_INPUTS = ['status', 'content_type', 'cache_control'] as const

const literal = (value: unknown): boolean => !(typeof value === 'string' && isTemplated(value))

/** Why a literal input value is wrong, if it is. */
function valueProblem(name: string, value: unknown): string | undefined {
  if (!literal(value)) return undefined
  const integer = typeof value === 'number' && Number.isInteger(value)
  switch (name) {
    case 'status':
      return integer && (value as number) >= 200 && (value as number) <= 599
        ? undefined
        : 'an integer from 200 to 599'
    case 'pad_to':
      return integer && (value as number) > 0 ? undefined : 'a positive integer (bytes)'
    case 'reset':
      return value === true ? undefined : 'true'
    case 'listener':
      return value === 'untrusted' ? undefined : "'untrusted'"
    case 'document':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? undefined
        : 'a mapping of client metadata'
    default:
      return typeof value === 'string' ? undefined : 'a string'
  }
}

function lintDocumentInput(input: Record<string, unknown>, at: Path, error: Report): void {
  for (const [name, value] of Object.entries(input)) {
    if (!Object.hasOwn(CIMD_DOCUMENT_INPUTS, name)) {
      const hint = didYouMean(name, Object.keys(CIMD_DOCUMENT_INPUTS))
      error([...at, name], `cimd-document reads no input "${name}"${hint}`, true)
      continue
    }
    const expected = valueProblem(name, value)
    if (expected) error([...at, name], `cimd-document: ${name} must be ${expected}`)
  }
  const answers = ANSWERS.filter((name) => input[name] !== undefined)
  if (answers.length > 1) {
    error(
      [...at, answers[1]!],
      `cimd-document: ${answers.join(' and ')} are different answers: give one`,
      true,
    )
  }
  if (input['pad_to'] !== undefined && answers.length > 0) {
    error(
      [...at, 'pad_to'],
      `cimd-document: pad_to pads the JSON document, which ${answers[0]} replaces`,
      true,
    )
  }
  // A redirect or a reset has no status, type or cache header (harness/cimd/document.ts).
  const bodyless = NO_BODY_ANSWERS.find((name) => input[name] !== undefined)
  for (const name of bodyless ? RESPONSE_INPUTS : []) {
    if (input[name] === undefined) continue
    error([...at, name], `cimd-document: ${name} is not used when ${bodyless} is given`, true)
  }
  if (input['url'] !== undefined && input['listener'] !== undefined) {
    error(
      [...at, 'listener'],
      'cimd-document: listener makes a new URL, url republishes an earlier one: give one',
      true,
    )
  }
}

function lintStep(doc: ScenarioDoc, step: StepDoc, at: Path, error: Report): void {
  const fixture = step.use?.fixture
  if (typeof fixture !== 'string' || !CIMD_FIXTURES.has(fixture)) return
  const requires = doc.requires ?? []
  // A raw body (a sector identifier, not client metadata) needs the publisher only.
  const rawDocument = fixture === 'cimd-document' && step.use?.with?.['body'] !== undefined
  const enough = rawDocument ? [CIMD_CAPABILITY, PUBLISHER_CAPABILITY] : [CIMD_CAPABILITY]
  if (!enough.some((flag) => requires.includes(flag))) {
    error(
      [...at, 'use', 'fixture'],
      `${fixture} needs a document publisher: ` +
        `add ${enough.join(' or ')} to the scenario's requires`,
    )
  }
  const input = step.use?.with
  if (
    fixture === 'cimd-document' &&
    typeof input === 'object' &&
    input !== null &&
    !Array.isArray(input)
  ) {
    lintDocumentInput(input as Record<string, unknown>, [...at, 'use', 'with'], error)
  }
}

export function lintCimdSteps(doc: ScenarioDoc, error: Report): void {
  for (const list of ['steps', 'cleanup'] as const) {
    ;(doc[list] ?? []).forEach((step, index) => lintStep(doc, step, [list, index], error))
  }
}
