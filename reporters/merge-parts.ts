/**
 * The parts of sharded reports that do not simply concatenate: the expectations file's entries
 * (each shard saw only some scenarios) and the requirement catalog (titles, levels, order).
 */
import type { ExpectationOutcome, Report } from '../harness/model/report.ts'
import type { CatalogRow } from '../harness/verdicts/requirements.ts'

const entryKey = (entry: ExpectationOutcome) =>
  JSON.stringify([entry.requirement, entry.scenario ?? null, entry.check ?? null])

const stateRank: Record<ExpectationOutcome['state'], number> = { unused: 0, stale: 1, met: 2 }

/**
 * One outcome per entry over all shards: `met` if met in any shard (it excused a failure
 * somewhere), else `stale` if stale in any, else `unused`. Undefined when no shard had a file.
 */
export function mergeExpectations(
  reports: readonly Report[],
): ExpectationOutcome[] | undefined {
  if (reports.every((report) => report.expectations === undefined)) return undefined
  const merged = new Map<string, ExpectationOutcome>()
  for (const entry of reports.flatMap((report) => report.expectations ?? [])) {
    const key = entryKey(entry)
    const known = merged.get(key)
    if (!known || stateRank[entry.state] > stateRank[known.state]) merged.set(key, entry)
  }
  return [...merged.values()]
}

/**
 * The catalog rows the shards' requirement tables carry, in catalog order: each shard lists its
 * rows in that order, so an id new to the merge goes right after the id that precedes it in its
 * shard (or, at the start of a shard, before the first id of that shard already placed).
 */
export function catalogOf(reports: readonly Report[]): Map<string, CatalogRow> {
  const order: string[] = []
  const rows = new Map<string, CatalogRow>()
  for (const report of reports) {
    const placed = report.requirements.find((row) => order.includes(row.id))
    let cursor = placed ? order.indexOf(placed.id) : order.length
    for (const row of report.requirements) {
      const index = order.indexOf(row.id)
      if (index < 0) order.splice(cursor, 0, row.id)
      cursor = (index < 0 ? cursor : index) + 1
      if (row.title !== undefined && row.level !== undefined && !rows.has(row.id))
        rows.set(row.id, { title: row.title, level: row.level })
    }
  }
  const catalog = new Map<string, CatalogRow>()
  for (const id of order) {
    const row = rows.get(id)
    if (row) catalog.set(id, row)
  }
  return catalog
}
