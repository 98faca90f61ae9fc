/**
 * The HTML reporter: one self-contained file a vendor can send to a colleague (issue 11, item 4).
 * Failures and inconclusive root causes come first; filters (outcome, folder, requirement, level,
 * search) and anchors run on one inline script whose hash the Content-Security-Policy names;
 * nothing is loaded from anywhere, so it works from file:// and offline. Screenshots of failing
 * steps are embedded (size-capped), other artifacts linked relative to the report file.
 */
import type { ScenarioResult } from '../harness/model/result.ts'
import type { Report } from '../harness/model/report.ts'
import type { Reporter } from '../harness/model/reporter.ts'
import { rootCauseLine } from '../harness/verdicts/root-causes.ts'
import { embeddedImages, portablePath, reportBase } from './artifact-paths.ts'
import { folderOf } from './console-groups.ts'
import { requirementIndex, requirementRef, type RequirementRef } from './failure-text.ts'
import { contentSecurityPolicy, SCRIPT, STYLE } from './html-assets.ts'
import { empty, escapeHtml, fragment, h, jump, list, requirementAnchor } from './html-markup.ts'
import { scenarioAnchor, table, type Child, type Markup } from './html-markup.ts'
import { rootCauseHint } from './hints.ts'
import { scenarioMarkup, type ArtifactView, type ScenarioContext } from './html-scenario.ts'
import { deviationLine, deviationsIn } from './known-deviations.ts'
import { writeOutput, type OutputOptions } from './output.ts'
import { REQUIREMENT_COLUMNS, requirementCountsLine, verdictKey } from './requirements-table.ts'
import { verdictLabel } from './requirements-table.ts'
import { scenarioNote } from './scenario-notes.ts'
import { countsLine, displayOutcome, formatDuration, reasonOf, SUMMARY_COLUMNS } from './summary.ts'
import { summaryNumbers, truncate } from './summary.ts'
import { isUnexpectedProblem } from '../harness/verdicts/run-status.ts'

export { escapeHtml, h } from './html-markup.ts'

export interface HtmlReporterOptions extends OutputOptions {
  /** Base of relative paths (default process.cwd()). */
  cwd?: string
}

/** What the page needs besides the report: how each artifact is linked or embedded. */
export interface HtmlAssets {
  /** Artifact path (as in the report) -> data: URI of an embedded screenshot. */
  images?: ReadonlyMap<string, string>
  /** The folder artifact links are relative to (the report file's). */
  baseDir?: string
}

/** Every scenario's title-line outcome, in filter order. */
const OUTCOMES = [
  'failed',
  'errored',
  'inconclusive',
  'warned',
  'xfail',
  'xwarn',
  'passed',
  'skipped',
]

/** `outcome id` with the id linking to the scenario's details. */
function scenarioLink(scenario: ScenarioResult, label = displayOutcome(scenario)): Markup {
  return fragment(
    [h('span', { class: label }, label), ' ', jump(scenarioAnchor(scenario.id), scenario.id)],
    '',
  )
}

/** The failures (unexcused MUST failures and errors), each a card linking to its details. */
function failureCards(report: Report): Markup | undefined {
  const problems = report.scenarios.filter(isUnexpectedProblem)
  if (problems.length === 0) return undefined
  const cards = problems.map((scenario) => {
    const label = displayOutcome(scenario)
    return h(
      'div',
      { class: `card card-${label}` },
      h('h3', null, scenarioLink(scenario, label), `: ${scenario.title}`),
      h('div', null, truncate(scenarioNote(scenario), 800)),
    )
  })
  return h('section', { id: 'failures' }, h('h2', null, `Failures (${problems.length})`), ...cards)
}

/** One line per root cause; the scenarios it blocks fold away under it, each a link. */
function rootCauseList(report: Report): Markup | undefined {
  const links = (ids: readonly string[]) =>
    fragment(ids.map((id) => jump(scenarioAnchor(id), id)), ', ')
  const items: Child[] = report.rootCauses.map((cause) => {
    const hint = rootCauseHint(report, cause)
    return fragment([
      h('details', null, h('summary', null, rootCauseLine(cause)), links(cause.scenarios)),
      hint ? h('div', { class: 'hint' }, `Hint: ${hint}`) : undefined,
    ])
  })
  for (const scenario of report.scenarios) {
    if (scenario.outcome === 'inconclusive' && !scenario.blocker) {
      const reason = `: ${reasonOf(scenario) ?? 'no blocker'}`
      items.push(fragment([jump(scenarioAnchor(scenario.id), scenario.id), reason], ''))
    }
  }
  return list('Inconclusive scenarios by root cause', items, 'inconclusive')
}

/** Scenarios that warned (a SHOULD failed) or failed only as known deviations. */
function otherProblems(report: Report): Markup | undefined {
  const items = report.scenarios
    .filter((s) => !isUnexpectedProblem(s) && (s.outcome === 'warned' || s.outcome === 'failed'))
    .map((s) => fragment([scenarioLink(s), `: ${truncate(scenarioNote(s), 400)}`], ''))
  return list('Warnings and known deviations', items, 'warnings')
}

/** The verdict per requirement: title, spec link, scenarios behind it (each a link). */
function requirementsTable(report: Report): Markup | undefined {
  if (report.requirements.length === 0) return undefined
  const index = requirementIndex(report)
  const rows = report.requirements.map((row) => ({
    cells: [
      row.id,
      row.title ?? '',
      specAnchor(requirementRef(row.id, index)),
      row.level ?? '',
      verdictLabel(row),
      fragment(row.scenarios.map((id) => jump(scenarioAnchor(id), id)), ', '),
    ],
    classes: [undefined, undefined, undefined, undefined, verdictKey(row)],
    attributes: { id: requirementAnchor(row.id) },
  }))
  const [first, second, ...rest] = REQUIREMENT_COLUMNS
  return fragment([
    h('h2', { id: 'requirements' }, 'Requirements'),
    h('p', null, requirementCountsLine(report.requirements)),
    table([first ?? 'Requirement', second ?? 'Title', 'Spec', ...rest], rows),
  ])
}

/** A link to the requirement's spec section, when it has one. */
function specAnchor(ref: RequirementRef): Child {
  return ref.url ? h('a', { href: ref.url, rel: 'noreferrer' }, ref.source ?? ref.url) : ''
}

function option(value: string, text = value): Markup {
  return h('option', { value }, text)
}

/** The filter bar: outcome boxes, folder, requirement, level, search. */
function filters(report: Report): Markup {
  const present = new Set(report.scenarios.map(displayOutcome))
  const boxes = OUTCOMES.filter((outcome) => present.has(outcome as never)).map((outcome) =>
    h(
      'label',
      null,
      empty('input', { type: 'checkbox', name: 'outcome', value: outcome, checked: '' }),
      outcome,
    ),
  )
  const folders = [...new Set(report.scenarios.map((s) => folderOf(s.id)))].sort()
  const select = (name: string, label: string, options: Markup[]) =>
    h('label', null, `${label} `, h('select', { name }, option('', 'all'), ...options))
  return h(
    'form',
    { id: 'filters', class: 'filters' },
    ...boxes,
    select('folder', 'Folder', folders.map((f) => option(f))),
    select(
      'requirement',
      'Requirement',
      report.requirements.map((r) => option(r.id, `${r.id} ${truncate(r.title ?? '', 60)}`.trim())),
    ),
    select('level', 'Level', ['must', 'should', 'may'].map((l) => option(l))),
    empty('input', { type: 'search', name: 'q', placeholder: 'Search', 'aria-label': 'Search' }),
    h('span', { id: 'shown', class: 'muted' }, `${report.scenarios.length} scenarios`),
  )
}

function expectationLists(report: Report): Child[] {
  const lines = (state: 'met' | 'stale' | 'unused') =>
    deviationsIn(report, state).map(deviationLine)
  const stale = lines('stale').map((line) => h('span', { class: 'stale' }, line))
  return [
    list('Known deviations', lines('met')),
    list('Stale expectations (the run fails: update the expectations file)', stale),
    list('Expectations not tested in this run', lines('unused')),
  ]
}

/** How each artifact is shown: a link relative to the report, an embedded image when read. */
function artifactViews(report: Report, assets: HtmlAssets): Map<string, ArtifactView> {
  const views = new Map<string, ArtifactView>()
  const base = assets.baseDir ?? process.cwd()
  for (const scenario of report.scenarios) {
    for (const step of scenario.steps) {
      for (const artifact of step.artifacts) {
        const dataUri = assets.images?.get(artifact.path)
        const href = portablePath(artifact.path, base)
        views.set(artifact.path, { href, ...(dataUri ? { dataUri } : {}) })
      }
    }
  }
  return views
}

function header(report: Report): Child[] {
  const { tool, target } = report
  const numbers = summaryNumbers(report).map(String)
  const about = [
    `started ${report.startedAt}`,
    formatDuration(report.durationMs),
    `seed ${report.seed}`,
    `${tool.name} ${tool.version}`,
  ].join(' · ')
  const verdict = h('span', { class: `verdict ${report.status}` }, report.status.toUpperCase())
  return [
    h('h1', null, `dcr-conformance: ${target.name} `, verdict),
    h('p', null, 'Issuer ', h('code', null, target.issuer), ` · ${about}`),
    ...(report.reason ? [h('p', { class: report.status }, report.reason)] : []),
    h('p', null, countsLine(report.counts), ' · ', requirementCountsLine(report.requirements)),
    table([...SUMMARY_COLUMNS], [{ cells: numbers, classes: numbers.map(() => 'num') }]),
  ]
}

/** Scenarios with problems first, then by id: the list reads like the summary above it. */
function scenarioOrder(scenarios: readonly ScenarioResult[]): ScenarioResult[] {
  const rank = (s: ScenarioResult) => {
    if (isUnexpectedProblem(s)) return 0
    if (s.outcome === 'inconclusive') return 1
    return s.outcome === 'passed' || s.outcome === 'skipped' ? 3 : 2
  }
  return [...scenarios].sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id))
}

/** The whole HTML document. */
export function renderHtml(report: Report, assets: HtmlAssets = {}): string {
  const context: ScenarioContext = {
    requirements: requirementIndex(report),
    artifacts: artifactViews(report, assets),
  }
  const scenarios = scenarioOrder(report.scenarios).map((s) => scenarioMarkup(s, context))
  const body = fragment([
    ...header(report),
    failureCards(report),
    rootCauseList(report),
    otherProblems(report),
    requirementsTable(report),
    h('h2', { id: 'scenarios' }, 'Scenarios'),
    filters(report),
    h('div', { id: 'scenario-list' }, fragment(scenarios)),
    ...expectationLists(report),
    list('Clients left over', (report.leftovers ?? []).map((l) => `${l.client_id}: ${l.reason}`)),
    list('Notices', report.notices ?? []),
    list('Caveats', report.caveats ?? []),
  ])
  const policy = contentSecurityPolicy(SCRIPT)
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(policy)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    h('title', null, `dcr-conformance: ${report.target.name} - ${report.status}`).html,
    `<style>${STYLE}</style>`,
    '</head>',
    `<body>\n${body.html}\n<script>${SCRIPT}</script>\n</body>`,
    '</html>',
    '',
  ].join('\n')
}

export function createHtmlReporter(options: HtmlReporterOptions = {}): Reporter {
  return {
    async onRunEnd(report: Report) {
      const images = await embeddedImages(report)
      const baseDir = reportBase(options.path, options.cwd)
      const stream = options.stream ?? process.stdout
      const target = { ...(options.path ? { path: options.path } : {}), stream }
      await writeOutput(target, renderHtml(report, { images, baseDir }))
    },
  }
}
