/**
 * The console's end-of-run text: failures in detail, warnings, inconclusive scenarios by root
 * cause, known deviations, the requirements to review, and the counts. It ends with the
 * requirement counts line, the one a reader (or a grep in CI) looks for last.
 */
import type { Report, RequirementVerdict } from '../harness/model/report.ts'
import { rootCauseLine } from '../harness/verdicts/root-causes.ts'
import { stripControl, type Palette } from './ansi.ts'
import { failureDetails } from './console-details.ts'
import { requirementIndex } from './failure-text.ts'
import { rootCauseHint } from './hints.ts'
import { deviationScope, deviationsIn } from './known-deviations.ts'
import {
  requirementCountsLine,
  requirementsToReview,
  verdictLabel,
} from './requirements-table.ts'
import {
  countExpectations,
  countsLine,
  failingChecks,
  formatDuration,
  reasonOf,
  staleMessage,
} from './summary.ts'
import { isUnexpectedProblem } from '../harness/verdicts/run-status.ts'

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`

/** A titled block; nothing at all when it has no lines. */
function block(title: string, lines: string[]): string[] {
  return lines.length === 0 ? [] : ['', title, ...lines.map(stripControl)]
}

function failures(report: Report, palette: Palette): string[] {
  const unexpected = report.scenarios.filter(isUnexpectedProblem)
  if (unexpected.length === 0) return []
  const out = ['', palette.bold(palette.red(`Failures (${unexpected.length}):`)), '']
  const index = requirementIndex(report)
  unexpected.forEach((scenario, i) =>
    out.push(failureDetails(scenario, i + 1, palette, index), ''),
  )
  return out
}

/** Unexcused SHOULD failures of scenarios that are not detailed among the failures. */
function warnings(report: Report, palette: Palette): string[] {
  const lines: string[] = []
  for (const scenario of report.scenarios) {
    if (isUnexpectedProblem(scenario)) continue
    for (const { step, check } of failingChecks(scenario)) {
      if (check.level !== 'should' || check.excused !== undefined) continue
      const requirement = check.requirement ? ` [${check.requirement}]` : ''
      const message = check.message ? `: ${check.message}` : ''
      lines.push(`  ! ${scenario.id} > ${step.id}: ${check.name}${requirement}${message}`)
    }
  }
  return block(palette.bold(palette.yellow(`Warnings (${lines.length}):`)), lines)
}

/** One line per root cause, so one server bug reads as one line however many it blocks. */
function inconclusive(report: Report, palette: Palette): string[] {
  const blocked = report.scenarios.filter((scenario) => scenario.outcome === 'inconclusive')
  if (blocked.length === 0) return []
  const lines = report.rootCauses.flatMap((cause) => {
    const hint = rootCauseHint(report, cause)
    return [`  ? ${rootCauseLine(cause)}`, ...(hint ? [`    hint: ${hint}`] : [])]
  })
  for (const scenario of blocked) {
    if (!scenario.blocker) lines.push(`  ? ${scenario.id}: ${reasonOf(scenario) ?? 'no blocker'}`)
  }
  const causes = plural(report.rootCauses.length, 'root cause')
  const title = `Inconclusive (${plural(blocked.length, 'scenario')}, ${causes}):`
  return block(palette.bold(palette.magenta(title)), lines)
}

/** Skipped scenarios, one line per reason (64 skips for one missing capability read as one). */
export function skippedByReason(report: Pick<Report, 'scenarios'>): [string, number][] {
  const reasons = new Map<string, number>()
  for (const scenario of report.scenarios) {
    if (scenario.outcome !== 'skipped') continue
    const reason = reasonOf(scenario) ?? 'no reason given'
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1)
  }
  return [...reasons.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
}

function skipped(report: Report, palette: Palette): string[] {
  const reasons = skippedByReason(report)
  const lines = reasons.map(([reason, count]) => `  - ${plural(count, 'scenario')}: ${reason}`)
  return block(palette.bold(palette.dim(`Skipped (${report.counts.skipped}):`)), lines)
}

function knownDeviations(report: Report, palette: Palette): string[] {
  const met = deviationsIn(report, 'met')
  const lines = met.map((entry) => `  x ${deviationScope(entry)}: ${entry.reason}`)
  return block(palette.bold(`Known deviations from the expectations file (${met.length}):`), lines)
}

function stale(report: Report, palette: Palette): string[] {
  const entries = deviationsIn(report, 'stale')
  const title = `Stale expectations (${entries.length}) - update the expectations file:`
  return block(
    palette.bold(palette.red(title)),
    entries.map((entry) => `  ✗ ${staleMessage(entry)}`),
  )
}

function reviewLine(
  row: RequirementVerdict,
  widths: { label: number; id: number },
  palette: Palette,
): string {
  const symbol = row.excused
    ? palette.dim('x')
    : row.verdict === 'fail'
      ? palette.red('✗')
      : row.verdict === 'warn'
        ? palette.yellow('!')
        : palette.magenta('?')
  const id = stripControl(row.id)
  const gap = ' '.repeat(Math.max(0, widths.id - id.length) + 2)
  const title = row.title ? `${gap}${stripControl(row.title)}` : ''
  return `  ${symbol} ${verdictLabel(row).padEnd(widths.label)}  ${id}${title}`
}

/** The compact requirement table: only what needs a look (failed, warned, inconclusive). */
function requirements(report: Report, palette: Palette): string[] {
  const rows = requirementsToReview(report.requirements)
  if (rows.length === 0) return []
  const widths = {
    label: Math.max(...rows.map((row) => verdictLabel(row).length)),
    id: Math.max(...rows.map((row) => stripControl(row.id).length)),
  }
  const title = palette.bold(`Requirements to review (${rows.length}):`)
  return ['', title, ...rows.map((row) => reviewLine(row, widths, palette))]
}

function others(report: Report, palette: Palette, seenNotices: readonly string[]): string[] {
  const leftovers = report.leftovers ?? []
  const notices = [...new Set([...seenNotices, ...(report.notices ?? [])])]
  return [
    ...block(
      palette.bold(palette.yellow(`Clients left over on the target (${leftovers.length}):`)),
      leftovers.map((leftover) => `  ${leftover.client_id}: ${leftover.reason}`),
    ),
    ...block(palette.bold('Notices:'), notices.map((notice) => `  - ${notice}`)),
    ...block(palette.bold('Caveats:'), (report.caveats ?? []).map((caveat) => `  - ${caveat}`)),
  ]
}

/** Counts, run facts, the verdict, and last the requirement counts. */
function footer(report: Report, palette: Palette): string[] {
  const expectations = countExpectations(report)
  const extra = [`${report.counts.total} scenarios in ${formatDuration(report.durationMs)}`]
  if (expectations.met > 0) extra.push(plural(expectations.met, 'known deviation'))
  if (expectations.stale > 0) extra.push(plural(expectations.stale, 'stale expectation'))
  extra.push(`target ${stripControl(report.target.name)}`, `seed ${report.seed}`)
  const verdict =
    report.status === 'passed'
      ? palette.green(palette.bold('PASSED'))
      : report.status === 'failed'
        ? palette.red(palette.bold('FAILED'))
        : palette.red(palette.bold(report.status.toUpperCase()))
  // An errored or interrupted run says why when no scenario does (discovery failed, SIGINT).
  const reason = report.reason ? ` (${stripControl(report.reason)})` : ''
  return [
    '',
    countsLine(report.counts),
    palette.dim(extra.join(' · ')),
    `Result: ${verdict}${reason}`,
    requirementCountsLine(report.requirements),
    '',
  ]
}

/** The end-of-run text: details, lists, summary lines, notices. */
export function renderSummary(
  report: Report,
  palette: Palette,
  seenNotices: readonly string[] = [],
): string {
  return [
    ...failures(report, palette),
    ...warnings(report, palette),
    ...inconclusive(report, palette),
    ...skipped(report, palette),
    ...knownDeviations(report, palette),
    ...stale(report, palette),
    ...others(report, palette, seenNotices),
    ...requirements(report, palette),
    ...footer(report, palette),
  ].join('\n')
}
