/**
 * The requirement table every reporter shows (docs/verdicts.md): one row per requirement the run
 * touched, with its verdict and the scenarios behind it. Rendering stays in each reporter; this
 * file only decides what the rows and the counts say, so all reporters agree.
 */
import type { RequirementVerdict, RequirementVerdictName } from '../harness/model/report.ts'
import { countVerdicts } from '../harness/verdicts/requirements.ts'

/** Verdicts in the order of the counts line. */
export const VERDICT_ORDER: readonly RequirementVerdictName[] = [
  'pass',
  'fail',
  'warn',
  'inconclusive',
  'not-applicable',
  'untested',
]

/** Headers of the requirement table (Markdown, HTML). */
export const REQUIREMENT_COLUMNS: readonly string[] = [
  'Requirement',
  'Title',
  'Level',
  'Verdict',
  'Scenarios',
]

/** The verdict as shown: `fail (known deviation)` when every failure behind it is excused. */
export function verdictLabel(row: Pick<RequirementVerdict, 'verdict' | 'excused'>): string {
  return row.excused ? `${row.verdict} (known deviation)` : row.verdict
}

/**
 * A CSS-class-like key for a verdict: `excused` for known deviations, so they are not painted
 * like the failures that break the run.
 */
export function verdictKey(row: Pick<RequirementVerdict, 'verdict' | 'excused'>): string {
  return row.excused ? 'excused' : row.verdict
}

/** The scenario ids behind a row, cut to `max` with a count of the rest (tables stay readable). */
export function scenarioList(ids: readonly string[], max = Infinity): string {
  if (ids.length <= max) return ids.join(', ')
  return `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`
}

/** The requirements a reader must look at: failed, warned, then inconclusive (console list). */
export function requirementsToReview(
  requirements: readonly RequirementVerdict[],
): RequirementVerdict[] {
  const order: RequirementVerdictName[] = ['fail', 'warn', 'inconclusive']
  return order.flatMap((verdict) => requirements.filter((row) => row.verdict === verdict))
}

/**
 * One line of counts per verdict: `Requirements: 3 pass, 2 fail (1 known deviation), 1 warn,
 * 0 inconclusive, 0 not-applicable, 1 untested`.
 */
export function requirementCountsLine(requirements: readonly RequirementVerdict[]): string {
  const counts = countVerdicts(requirements)
  const parts = VERDICT_ORDER.map((verdict) => {
    const excused = requirements.filter((row) => row.verdict === verdict && row.excused).length
    const note = excused > 0 ? ` (${excused} known deviation${excused === 1 ? '' : 's'})` : ''
    return `${counts[verdict]} ${verdict}${note}`
  })
  return `Requirements: ${parts.join(', ')}`
}
