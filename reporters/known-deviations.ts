/**
 * The expectations file's entries as reporters show them: `met` entries are known deviations,
 * `stale` ones fail the run (so the file cannot rot), `unused` ones were not tested.
 */
import type { ExpectationOutcome, Report } from '../harness/model/report.ts'
import { staleMessage } from './summary.ts'

/** The entries of the report in one state, in file order. */
export function deviationsIn(
  report: Pick<Report, 'expectations'>,
  state: ExpectationOutcome['state'],
): ExpectationOutcome[] {
  return (report.expectations ?? []).filter((entry) => entry.state === state)
}

/** What an entry covers: `R7591-3.2.1-a in registration/status-201 (status)`. */
export function deviationScope(entry: ExpectationOutcome): string {
  if (!entry.scenario) return entry.requirement
  const check = entry.check ? ` (${entry.check})` : ''
  return `${entry.requirement} in ${entry.scenario}${check}`
}

/** One line per entry, worded by its state. */
export function deviationLine(entry: ExpectationOutcome): string {
  switch (entry.state) {
    case 'met':
      return `known deviation: ${deviationScope(entry)}: ${entry.reason}`
    case 'stale':
      return staleMessage(entry)
    default:
      return `not tested in this run: ${deviationScope(entry)}: ${entry.reason}`
  }
}
