/**
 * Planning: which scenarios run (suite, `--grep`, `--tag`), which are skipped as not applicable
 * to the target (`requires` and `unless` vs capabilities), and which belong to this shard.
 */
import { HarnessError } from '../errors.ts'
import type { LoadedScenario } from '../scenario/load.ts'
import type { TargetConfig } from '../model/target.ts'

export interface Shard {
  /** 1-based. */
  index: number
  total: number
}

export interface PlanFilters {
  /** Regular expression matched against id and title. */
  grep?: string | RegExp
  /** A scenario matches when it has any of these tags. */
  tags?: string[]
  shard?: Shard
}

/** Capabilities every target has (suites/capabilities.yaml: `core`). */
export const IMPLICIT_CAPABILITIES = ['core']

/** What planning reads of a scenario (a loaded one, or only its header: scenario/header.ts). */
export interface Plannable {
  doc: { id: string; title: string; tags?: string[] }
}

/** Selects the scenarios to run, in id order: filters first, then the shard's share. */
export function planScenarios<T extends Plannable = LoadedScenario>(
  scenarios: T[],
  filters: PlanFilters = {},
): T[] {
  const grep = toRegExp(filters.grep)
  const tags = filters.tags?.filter((tag) => tag !== '') ?? []
  const selected = scenarios
    .filter((s) => !grep || grep.test(s.doc.id) || grep.test(s.doc.title))
    .filter((s) => tags.length === 0 || (s.doc.tags ?? []).some((tag) => tags.includes(tag)))
    .sort((a, b) => compareIds(a.doc.id, b.doc.id))
  return filters.shard ? shardOf(selected, filters.shard) : selected
}

/**
 * Sorted round robin: scenario k (in id order) goes to shard (k mod N) + 1, so every scenario is
 * in exactly one shard and shards differ in size by at most one.
 */
export function shardOf<T>(sorted: T[], shard: Shard): T[] {
  return sorted.filter((_, position) => position % shard.total === shard.index - 1)
}

/** `I/N` with 1 <= I <= N. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim())
  const index = Number(match?.[1])
  const total = Number(match?.[2])
  if (!match || total < 1 || index < 1 || index > total) {
    throw new HarnessError('E_USAGE', `--shard must be I/N with 1 <= I <= N (got '${text}')`)
  }
  return { index, total }
}

/** What applicability needs to know of a target (`list` and `run` decide alike). */
export interface ApplicabilityTarget {
  name: string
  capabilities: string[]
  registration?: TargetConfig['registration']
}

/**
 * Why a scenario does not apply to a target, or undefined when it does. Decided before anything
 * is sent, so `list` and `run` agree.
 */
export function notApplicableReason(
  scenario: LoadedScenario,
  target: ApplicabilityTarget,
): string | undefined {
  const have = new Set([...IMPLICIT_CAPABILITIES, ...target.capabilities])
  const missing = (scenario.doc.requires ?? []).find((capability) => !have.has(capability))
  if (missing !== undefined)
    return `requires capability ${missing} which target ${target.name} does not declare`
  const excluded = (scenario.doc.unless ?? []).find((capability) => have.has(capability))
  if (excluded !== undefined)
    return `not applicable where capability ${excluded} is declared, as target ${target.name} does`
  return otherScopeMissing(scenario, target)
}

/** A token without the registration scope needs `registration.iat.other_scope` (client_credentials). */
function otherScopeMissing(
  scenario: LoadedScenario,
  target: ApplicabilityTarget,
): string | undefined {
  const wants = [...scenario.doc.steps, ...(scenario.doc.cleanup ?? [])].some(
    (step) => step.token?.purpose === 'token-without-registration-scope',
  )
  const iat = target.registration?.iat
  if (!wants || (iat?.strategy === 'client_credentials' && iat.other_scope)) return undefined
  return (
    `needs a token without the registration scope, and target ${target.name} has no ` +
    'client_credentials IAT strategy with other_scope (registration.iat.other_scope in targets.yaml)'
  )
}

function toRegExp(grep: string | RegExp | undefined): RegExp | undefined {
  if (grep === undefined || grep === '') return undefined
  if (grep instanceof RegExp) return grep
  try {
    return new RegExp(grep)
  } catch (error) {
    throw new HarnessError(
      'E_USAGE',
      `--grep: invalid regular expression: ${(error as Error).message}`,
    )
  }
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
