/**
 * `dcr-conformance coverage`: which requirement of the catalog is tested by which scenarios, which
 * reference-server faults prove those scenarios, and why the remaining requirements are untested.
 * Reads `suites/requirements.yaml` and every scenario under `suites/`; sends nothing.
 */
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { FileErrors, type FileError } from '../errors.ts'
import { choiceOption, parseCommand } from '../config/args.ts'
import type { StepDoc } from '../model/scenario.ts'
import { readCatalog } from '../scenario/catalog.ts'
import { expectationsOf } from '../scenario/lint-verdicts.ts'
import { loadScenarioFiles, type LoadedScenario } from '../scenario/load.ts'
import { packageRoot } from '../package-root.ts'

/** Why a requirement has no scenario (`untested[].category` in suites/requirements.yaml). */
export const UNTESTED_CATEGORIES = [
  'not-black-box',
  'needs-environment',
  'slow',
  'not-yet',
] as const
export type UntestedCategory = (typeof UNTESTED_CATEGORIES)[number]

/** One requirement with the scenarios that test it and the faults that prove those scenarios. */
export interface CoverageRow {
  id: string
  /** `must`, `should` or `may`; `vendor-specific` for the catalog's vendor rows. */
  level: string
  title: string
  /** Listed under `tested` in suites/requirements.yaml. */
  tested: boolean
  /** Scenario ids that name the requirement (scenario `requirements` or a step/check `requirement`). */
  scenarios: string[]
  /** Faults declared by those scenarios: each makes at least one of them fail. */
  faults: string[]
  /** For untested rows. */
  category?: UntestedCategory
  reason?: string
}

export interface CoverageSummary {
  /** Requirements in the catalog (tested + untested rows). */
  total: number
  /** Rows listed as tested plus untested rows whose category is not `not-black-box`. */
  testable: number
  /** Rows with at least one scenario. */
  covered: number
  /** covered / testable (0 when nothing is testable). */
  ratio: number
  /** Rows listed as tested that no scenario names yet. */
  uncovered: string[]
}

export interface CoverageReport {
  requirements: CoverageRow[]
  summary: CoverageSummary
}

interface CatalogRow {
  id: string
  level: string
  title: string
  tested: boolean
  category?: UntestedCategory
  reason?: string
}

/** A vendor row's level is its vendor's; an untested row without a level counts as must. */
function levelOf(row: { level?: string; vendor?: string }): string {
  return row.vendor !== undefined ? 'vendor-specific' : (row.level ?? 'must')
}

function categoryOf(category: string | undefined): UntestedCategory {
  return (UNTESTED_CATEGORIES as readonly unknown[]).includes(category)
    ? (category as UntestedCategory)
    : 'not-yet'
}

/** The rows of suites/requirements.yaml, in file order (tested first). */
async function readCatalogRows(root: string): Promise<CatalogRow[]> {
  return readCatalogFile(join(root, 'suites', 'requirements.yaml'))
}

/** A suite folder's own catalog extends the package's (harness/scenario/extension.ts). */
async function readSuiteCatalogs(folders: string[], known: CatalogRow[]): Promise<CatalogRow[]> {
  const ids = new Set(known.map((row) => row.id))
  const rows: CatalogRow[] = []
  for (const folder of folders) {
    const file = join(folder, 'requirements.yaml')
    if (!existsSync(file)) continue
    for (const row of await readCatalogFile(file)) {
      if (!ids.has(row.id)) rows.push(row)
      ids.add(row.id)
    }
  }
  return rows
}

/** One catalog file as coverage rows; the catalog reader is the vocabulary's (scenario/catalog.ts). */
async function readCatalogFile(file: string): Promise<CatalogRow[]> {
  const errors: FileError[] = []
  const catalog = await readCatalog(file, errors)
  if (errors.length > 0) throw new FileErrors(errors)
  const tested = [...catalog.requirements.values()].map((row) => ({
    id: row.id,
    level: levelOf(row),
    title: row.title,
    tested: true,
  }))
  const untested = [...catalog.untested.values()].map((row) => ({
    id: row.id,
    level: levelOf(row),
    title: row.title ?? '',
    tested: false,
    category: categoryOf(row.category),
    reason: row.reason,
  }))
  return [...tested, ...untested]
}

function stepRequirements(steps: StepDoc[] | undefined): string[] {
  const found: string[] = []
  for (const step of steps ?? []) {
    if (step.requirement) found.push(step.requirement)
    for (const { expectation } of expectationsOf(step))
      if (expectation.requirement) found.push(expectation.requirement)
  }
  return found
}

/** Every requirement a scenario names: its own list, then step and check defaults. */
export function scenarioRequirements(scenario: LoadedScenario): string[] {
  const { doc } = scenario
  return [
    ...new Set([
      ...doc.requirements,
      ...stepRequirements(doc.steps),
      ...stepRequirements(doc.cleanup),
    ]),
  ]
}

/**
 * The coverage of the catalog by the suite.
 * `root` is the repository holding `suites/` (default: this package); `scenarios` may be given
 * already loaded (tests), else every file under `<root>/suites` is loaded.
 */
export async function computeCoverage(
  options: { root?: string; scenarios?: LoadedScenario[]; suites?: string[] } = {},
): Promise<CoverageReport> {
  const root = options.root ?? packageRoot()
  const own = await readCatalogRows(root)
  // `--suite FOLDER`: a suite folder's scenarios and its own requirements.yaml join the package's.
  const suites = options.suites ?? []
  const catalog = [...own, ...(await readSuiteCatalogs(suites, own))]
  const scenarios = [
    ...(options.scenarios ?? (await loadScenarioFiles([join(root, 'suites')], { cwd: root }))),
    ...(suites.length > 0 ? await loadScenarioFiles(suites) : []),
  ]
  const byRequirement = new Map<string, { scenarios: Set<string>; faults: Set<string> }>()
  for (const scenario of scenarios) {
    for (const id of scenarioRequirements(scenario)) {
      const entry = byRequirement.get(id) ?? {
        scenarios: new Set<string>(),
        faults: new Set<string>(),
      }
      entry.scenarios.add(scenario.doc.id)
      for (const fault of scenario.doc.faults ?? []) entry.faults.add(fault)
      byRequirement.set(id, entry)
    }
  }
  const requirements: CoverageRow[] = catalog.map((row) => {
    const found = byRequirement.get(row.id)
    return {
      id: row.id,
      level: row.level,
      title: row.title,
      tested: row.tested,
      scenarios: [...(found?.scenarios ?? [])].sort(),
      faults: [...(found?.faults ?? [])].sort(),
      ...(row.category ? { category: row.category } : {}),
      ...(row.reason !== undefined ? { reason: row.reason } : {}),
    }
  })
  const testable = requirements.filter(
    (row) => row.tested || row.category !== 'not-black-box',
  ).length
  const covered = requirements.filter((row) => row.scenarios.length > 0).length
  return {
    requirements,
    summary: {
      total: requirements.length,
      testable,
      covered,
      ratio: testable === 0 ? 0 : covered / testable,
      uncovered: requirements
        .filter((row) => row.tested && row.scenarios.length === 0)
        .map((row) => row.id),
    },
  }
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}

function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`
}

/** One line: `covered/testable testable requirements covered (ratio), N untested, M without scenario`. */
export function coverageSummaryLine(report: CoverageReport): string {
  const { summary } = report
  const untested = report.requirements.filter((row) => !row.tested).length
  return (
    `${summary.covered}/${summary.testable} testable requirements covered (${percent(summary.ratio)}); ` +
    `${summary.total} in the catalog, ${untested} untested with a reason, ` +
    `${summary.uncovered.length} listed as tested without a scenario`
  )
}

/** The coverage as a Markdown document. */
export function formatCoverageMarkdown(report: CoverageReport): string {
  const lines = ['# Requirement coverage', '', coverageSummaryLine(report), '']
  lines.push(
    '## Tested requirements',
    '',
    '| ID | Level | Requirement | Scenarios | Faults its scenarios fail under |',
    '| --- | --- | --- | --- | --- |',
  )
  for (const row of report.requirements.filter((r) => r.tested)) {
    const scenarios = row.scenarios.length
      ? row.scenarios.map((s) => `\`${s}\``).join('<br>')
      : '**none yet**'
    const faults = row.faults.length ? row.faults.map((f) => `\`${f}\``).join(', ') : '-'
    lines.push(`| ${row.id} | ${row.level} | ${cell(row.title)} | ${scenarios} | ${faults} |`)
  }
  const untested = report.requirements.filter((r) => !r.tested)
  if (untested.length > 0) {
    lines.push(
      '',
      '## Untested requirements',
      '',
      '| ID | Level | Requirement | Category | Reason |',
      '| --- | --- | --- | --- | --- |',
    )
    for (const row of untested) {
      lines.push(
        `| ${row.id} | ${row.level} | ${cell(row.title)} | ${row.category ?? ''} | ${cell(row.reason ?? '')} |`,
      )
    }
  }
  return `${lines.join('\n')}\n`
}

const USAGE = `usage: dcr-conformance coverage [--format md|json] [--suite FOLDER]...

Prints which requirement of the catalog each scenario tests, which reference-server faults prove
those scenarios, and why the remaining requirements are untested.

Options:
  --format md|json   Markdown table (default) or JSON {requirements, summary}
  --suite FOLDER     also a suite folder of your own, with its requirements.yaml (repeatable)
  -h, --help         this help`

/** `dcr-conformance coverage [--format md|json]`; resolves to the exit code. */
export async function coverageCommand(
  argv: string[],
  io: { stdout?: NodeJS.WritableStream; cwd?: string } = {},
): Promise<number> {
  const stdout = io.stdout ?? process.stdout
  const parsed = parseCommand(
    argv,
    { format: { type: 'string' }, suite: { type: 'string', multiple: true } },
    { command: 'coverage', usage: USAGE, stdout },
  )
  if (!parsed) return 0
  const { values } = parsed
  const format = choiceOption('--format', values.format, ['md', 'json'], 'md')
  const cwd = io.cwd ?? process.cwd()
  const report = await computeCoverage({
    suites: (values.suite ?? []).map((folder) => resolve(cwd, folder)),
  })
  stdout.write(
    format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatCoverageMarkdown(report),
  )
  return 0
}
