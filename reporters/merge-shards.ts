/**
 * What `merge` checks before combining reports (reporters/merge.ts): one target, and for sharded
 * runs every shard of one plan, each once. A missing shard would otherwise read as a smaller
 * passing run.
 */
import { UsageError } from '../harness/errors.ts'
import type { Report } from '../harness/model/report.ts'

const describe = (report: Report) => `${report.target.name} (${report.target.issuer})`

/**
 * The built-in reference target starts on a random port each run, so its issuer is not part of
 * its identity; any other target is its name and issuer.
 */
function sameTarget(a: Report, b: Report): boolean {
  if (a.target.name !== b.target.name) return false
  return a.target.name === 'reference' || a.target.issuer === b.target.issuer
}

/** Throws a UsageError (exit 2) when the reports cannot be merged into one run. */
export function checkMergeable(reports: readonly Report[]): void {
  const first = reports[0]
  if (!first) throw new UsageError('merge: no reports given')
  for (const report of reports) {
    if (!sameTarget(first, report)) {
      throw new UsageError(
        `merge: reports are for different targets: ${describe(first)} and ${describe(report)}`,
      )
    }
  }
  checkShards(reports)
}

function checkShards(reports: readonly Report[]): void {
  const sharded = reports.filter((report) => report.shard)
  if (sharded.length === 0) return
  if (sharded.length !== reports.length)
    throw new UsageError('merge: some reports are shards (--shard I/N) and some are whole runs')
  const { total, plan } = sharded[0]!.shard!
  const seen = new Set<number>()
  for (const { shard } of sharded) {
    if (shard!.total !== total || shard!.plan !== plan) {
      throw new UsageError(
        `merge: shards of different plans (${shard!.index}/${shard!.total} of plan ${shard!.plan}, ` +
          `expected ?/${total} of plan ${plan}): run every shard with the same suites and filters`,
      )
    }
    if (seen.has(shard!.index)) throw new UsageError(`merge: shard ${shard!.index}/${total} is given twice`)
    seen.add(shard!.index)
  }
  const missing = Array.from({ length: total }, (_, i) => i + 1).filter((index) => !seen.has(index))
  if (missing.length > 0) {
    const list = missing.map((index) => `${index}/${total}`).join(', ')
    throw new UsageError(`merge: shard ${list} is missing; merge every shard of the run`)
  }
}
