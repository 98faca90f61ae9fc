/**
 * One scenario in the HTML report: a `<details>` row that filters can hide and anchors can open,
 * with every step, its checks (requirement title and spec link, expected and actual once, a hint
 * where the cause is typical), its redacted exchanges (JSON pretty-printed, long bodies behind an
 * expander) and its artifacts (screenshots of failing steps embedded, the rest linked).
 */
import type {
  Artifact,
  CheckResult,
  Exchange,
  ScenarioResult,
  StepResult,
} from '../harness/model/result.ts'
import {
  fileAndLine,
  prettyBody,
  requirementRef,
  subjectExchanges,
  valuesNotInMessage,
  type RequirementIndex,
} from './failure-text.ts'
import { checkHint, errorHint } from './hints.ts'
import { folderOf } from './console-groups.ts'
import {
  empty,
  fragment,
  h,
  jump,
  requirementAnchor,
  scenarioAnchor,
  type Child,
  type Markup,
} from './html-markup.ts'
import { scenarioNote } from './scenario-notes.ts'
import { displayOutcome, formatDuration, formatValue, reasonOf, truncate } from './summary.ts'

/** Body text shown at once; the rest opens with an expander. */
export const BODY_SHOWN_CHARS = 2000
/** Never more than this of one body in the page. */
const BODY_MAX_CHARS = 100_000

/** How the report shows an artifact: a path relative to the report, a data: URI when embedded. */
export interface ArtifactView {
  href: string
  dataUri?: string
}

export interface ScenarioContext {
  requirements: RequirementIndex
  artifacts: ReadonlyMap<string, ArtifactView>
}

/** A body: pretty JSON, the first part shown, all of it behind "show all". */
function bodyMarkup(prefix: string, body: string): Markup {
  const pretty = prettyBody(body, BODY_MAX_CHARS)
  if (pretty.length <= BODY_SHOWN_CHARS) return h('pre', null, `${prefix}${pretty}`)
  const rest = pretty.length - BODY_SHOWN_CHARS
  return fragment([
    h('pre', null, `${prefix}${pretty.slice(0, BODY_SHOWN_CHARS)}…`),
    h(
      'details',
      null,
      h('summary', null, `show all (${rest} more characters)`),
      h('pre', null, pretty),
    ),
  ])
}

function exchangeMarkup(exchange: Exchange): Markup {
  const { request, response } = exchange
  const status = response ? String(response.status) : 'no response'
  const took = formatDuration(exchange.durationMs)
  const head = [`${request.method} ${request.url} -> ${status} (${took})`]
  for (const [name, value] of Object.entries(request.headers)) head.push(`> ${name}: ${value}`)
  const parts: Child[] = [h('pre', null, head.join('\n'))]
  if (request.body) parts.push(bodyMarkup('> ', request.body))
  if (response) {
    const lines = Object.entries(response.headers).map(([name, value]) => `< ${name}: ${value}`)
    if (lines.length > 0) parts.push(h('pre', null, lines.join('\n')))
    if (response.body) parts.push(bodyMarkup('< ', response.body))
    if (response.truncated) {
      parts.push(h('p', { class: 'muted' }, 'body truncated by the size limit'))
    }
  }
  if (exchange.error) parts.push(h('pre', { class: 'errored' }, `! ${exchange.error}`))
  return h('div', { class: 'exchange' }, fragment(parts))
}

/** A link to a spec section. */
function specAnchor(url: string, text: string): Markup {
  return h('a', { href: url, rel: 'noreferrer' }, text)
}

/** A requirement id linked to its row, its title, and its spec section. */
export function requirementMarkup(id: string, context: ScenarioContext): Markup {
  const ref = requirementRef(id, context.requirements)
  const spec = ref.url ? fragment([' (', specAnchor(ref.url, ref.source ?? ref.url), ')'], '') : ''
  return fragment(
    [
      context.requirements.has(id) ? jump(requirementAnchor(id), id) : id,
      ref.title ? ` ${ref.title}` : undefined,
      spec,
    ],
    '',
  )
}

type CheckState = 'passed' | 'failed' | 'warned' | 'xfail' | 'not-applicable'

const CHECK_MARKS: Record<CheckState, string> = {
  passed: '✓',
  failed: '✗',
  warned: '!',
  xfail: 'x',
  'not-applicable': '–',
}

function checkState(check: CheckResult): CheckState {
  if (check.notApplicable !== undefined) return 'not-applicable'
  if (check.ok) return 'passed'
  if (check.excused !== undefined) return 'xfail'
  return check.level === 'must' ? 'failed' : 'warned'
}

/** Why a failed check failed: deviation, message, the values it does not show, a hint. */
function failureParts(step: StepResult, check: CheckResult): Child[] {
  const parts: Child[] = []
  if (check.excused !== undefined) {
    parts.push(h('div', { class: 'excused' }, `Known deviation: ${check.excused}`))
  }
  if (check.message) parts.push(h('div', null, check.message))
  const { expected, actual } = valuesNotInMessage(check)
  const values = [
    expected !== undefined ? `expected: ${formatValue(expected, 3000)}` : '',
    actual !== undefined ? `actual:   ${formatValue(actual, 3000)}` : '',
  ].filter(Boolean)
  if (values.length > 0) parts.push(h('pre', null, values.join('\n')))
  const hint = checkHint(step, check)
  if (hint) parts.push(h('div', { class: 'hint' }, `Hint: ${hint}`))
  return parts
}

function checkMarkup(step: StepResult, check: CheckResult, context: ScenarioContext): Markup {
  const state = checkState(check)
  const parts: Child[] = [
    h('span', { class: state }, `${CHECK_MARKS[state]} `),
    h('strong', null, check.name),
    ` (${check.level})`,
  ]
  if (check.requirement) parts.push(' · ', requirementMarkup(check.requirement, context))
  else if (check.violates) {
    parts.push(` · precondition; an answer failing it violates ${check.violates}`)
  }
  if (check.notApplicable) {
    parts.push(h('span', { class: 'muted' }, ` · not applicable: ${check.notApplicable}`))
  }
  if (!check.ok) parts.push(...failureParts(step, check))
  return h('li', null, fragment(parts, ''))
}

function artifactMarkup(artifact: Artifact, embed: boolean, context: ScenarioContext): Markup {
  const view = context.artifacts.get(artifact.path) ?? { href: artifact.path }
  if (embed && view.dataUri && artifact.contentType.startsWith('image/')) {
    return h(
      'figure',
      null,
      empty('img', { class: 'shot', src: view.dataUri, alt: `${artifact.name} (screenshot)` }),
      h('figcaption', null, h('a', { href: view.href }, artifact.name)),
    )
  }
  return h('p', null, h('a', { href: view.href }, artifact.name), ` (${artifact.contentType})`)
}

/** Steps whose exchanges open by themselves and whose screenshots are embedded. */
const FAILING_STEPS = new Set(['failed', 'errored', 'inconclusive', 'warned'])
const failing = (step: StepResult) => FAILING_STEPS.has(step.outcome)

/** The step's own exchanges (not the IAT fetched for a registration), folded. */
function exchangesMarkup(step: StepResult): Markup | undefined {
  const own = subjectExchanges(step)
  if (own.length === 0) return undefined
  const left = own.length < step.exchanges.length
  const note = left
    ? ` of ${step.exchanges.length}: the initial access token request is left out`
    : ''
  return h(
    'details',
    failing(step) ? { open: '' } : null,
    h('summary', null, `Exchanges (${own.length}${note})`),
    ...own.map(exchangeMarkup),
  )
}

function stepMarkup(scenario: ScenarioResult, step: StepResult, context: ScenarioContext): Markup {
  const where = step.line ? ` · ${fileAndLine(scenario.file, step)}` : ''
  const driver = step.driver ? ` · ${step.driver} driver` : ''
  const about = ` ${formatDuration(step.durationMs)}${driver}${where}`
  const parts: Child[] = [
    h(
      'h4',
      null,
      h('span', { class: step.outcome }, step.outcome),
      ` ${step.id} (${step.action})`,
      h('span', { class: 'muted' }, about),
    ),
  ]
  if (step.message) {
    const kind = step.outcome === 'errored' ? 'errored' : 'muted'
    parts.push(h('div', { class: kind }, step.message))
  }
  const hint = step.outcome === 'errored' ? errorHint(step.message) : undefined
  if (hint) parts.push(h('div', { class: 'hint' }, `Hint: ${hint}`))
  if (step.checks.length > 0) {
    const items = step.checks.map((check) => checkMarkup(step, check, context))
    parts.push(h('ul', { class: 'checks' }, ...items))
  }
  parts.push(exchangesMarkup(step))
  for (const artifact of step.artifacts) {
    parts.push(artifactMarkup(artifact, failing(step), context))
  }
  return h('div', { class: 'step' }, fragment(parts))
}

/** The levels of the checks on requirements in a scenario (the level filter). */
function levelsOf(scenario: ScenarioResult): string {
  const checks = scenario.steps.flatMap((step) => step.checks)
  const levels = new Set(checks.filter((check) => check.requirement).map((check) => check.level))
  return [...levels].join(' ')
}

/** Every requirement a scenario cites or a check of it names (the requirement filter). */
function citedBy(scenario: ScenarioResult): string[] {
  const named = scenario.steps.flatMap((step) =>
    step.checks.flatMap((check) => (check.requirement ? [check.requirement] : [])),
  )
  return [...new Set([...scenario.requirements, ...named])]
}

/** The scenario as a filterable, linkable `<details>`. */
export function scenarioMarkup(scenario: ScenarioResult, context: ScenarioContext): Markup {
  const label = displayOutcome(scenario)
  const note = scenarioNote(scenario)
  const summary = h(
    'summary',
    null,
    h('span', { class: label }, label),
    h('span', { class: 'id' }, scenario.id),
    h('span', null, scenario.title),
    h('span', { class: 'muted' }, formatDuration(scenario.durationMs)),
    jump(scenarioAnchor(scenario.id), '#'),
  )
  const requirements = scenario.requirements.map((id) => requirementMarkup(id, context))
  const noSteps = scenario.outcome === 'skipped' || scenario.steps.length === 0
  const body: Child[] = [
    h(
      'p',
      null,
      'File: ',
      h('code', null, scenario.file),
      ' · Requirements: ',
      fragment(requirements, '; '),
    ),
    note ? h('p', { class: label }, truncate(note, 1000)) : undefined,
    noSteps ? h('p', { class: 'muted' }, reasonOf(scenario) ?? 'no steps ran') : undefined,
    ...scenario.steps.map((step) => stepMarkup(scenario, step, context)),
  ]
  return h(
    'details',
    {
      class: 'scn',
      id: scenarioAnchor(scenario.id),
      'data-outcome': label,
      'data-folder': folderOf(scenario.id),
      'data-reqs': citedBy(scenario).join(' '),
      'data-levels': levelsOf(scenario),
    },
    summary,
    fragment(body),
  )
}
