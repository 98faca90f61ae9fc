/**
 * A finding as the report shows it: the property, the requirement, the minimal input, what the
 * target answered (redacted, capped) and the reproduction scenario.
 */
import type { Redactor } from '../redact.ts'
import type { Level } from '../model/scenario.ts'
import type { CheckResult } from '../model/result.ts'
import type { CaseKind } from './case.ts'
import { caseScenario, scenarioYaml } from './scenario.ts'
import type { RawFinding } from './search.ts'

export interface Finding {
  property: string
  requirement: string
  level: Level
  kind: CaseKind
  /** The failed check's name and message. */
  check: string
  message: string
  /** The minimal input: the metadata sent, or the raw body (duplicate member names). */
  input: { metadata: Record<string, unknown> } | { raw_body: string }
  observed: { status?: number; body?: string }
  foundAtRun: number
  shrinks: number
  roundSeed: number
  scenario: { id: string; file: string; yaml: string }
}

/** Long answers are cut here, with a marker saying how much was left out. */
const MAX_BODY_CHARS = 2_000

export function describeFinding(raw: RawFinding, seed: number, redactor: Redactor): Finding {
  const checkResult = failedCheck(raw)
  const name = raw.property.replace(/[^a-z0-9]+/gi, '-').toLowerCase()
  const id = `fuzz/${name}-${(raw.roundSeed >>> 0).toString(16)}`
  const { doc, checks } = caseScenario(
    raw.fuzzCase,
    {
      id,
      title: `${checkResult?.name ?? raw.property} (found by dcr-conformance fuzz)`,
      description:
        `dcr-conformance fuzz --seed ${seed} found this ${raw.fuzzCase.kind} case at run ` +
        `${raw.foundAtRun} and shrank it ${raw.shrinks} times to this minimal input.`,
    },
    new Set(raw.run.failed),
  )
  const property = checks.find((entry) => entry.id === raw.property)!
  const register = raw.run.result.steps.find((step) => step.id === 'register')
  const response = register?.exchanges.at(-1)?.response
  return {
    property: raw.property,
    requirement: property.expectation.requirement,
    level: property.expectation.level,
    kind: raw.fuzzCase.kind,
    check: property.expectation.name,
    message: redactor.redactText(checkResult?.message ?? 'failed'),
    input: raw.fuzzCase.rawBody
      ? { raw_body: raw.fuzzCase.rawBody }
      : { metadata: raw.fuzzCase.metadata },
    observed: {
      ...(response ? { status: response.status } : {}),
      ...(response?.body !== undefined ? { body: capped(redactor.redactText(response.body)) } : {}),
    },
    foundAtRun: raw.foundAtRun,
    shrinks: raw.shrinks,
    roundSeed: raw.roundSeed,
    scenario: { id, file: `suites/${id}.yaml`, yaml: scenarioYaml(doc) },
  }
}

function failedCheck(raw: RawFinding): CheckResult | undefined {
  const { doc, checks } = caseScenario(raw.fuzzCase, { id: '', title: '', description: '' })
  const property = checks.find((entry) => entry.id === raw.property)
  if (!property || !doc) return undefined
  for (const step of raw.run.result.steps) {
    if (step.id !== property.step) continue
    return step.checks.find((entry) => entry.name === property.expectation.name && !entry.ok)
  }
  return undefined
}

function capped(text: string): string {
  if (text.length <= MAX_BODY_CHARS) return text
  return `${text.slice(0, MAX_BODY_CHARS)}... [${text.length - MAX_BODY_CHARS} more characters]`
}
