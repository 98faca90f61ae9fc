/**
 * The verdict per requirement (docs/verdicts.md): what a vendor shows a reviewer. Only checks
 * that name a requirement count; preconditions never do. Small and pure.
 */
import type { Level } from '../model/scenario.ts'
import type { CheckResult, ScenarioResult } from '../model/result.ts'
import type { RequirementVerdict, RequirementVerdictName } from '../model/report.ts'
import { specLink } from './spec-links.ts'

/** Title and level of a catalog row (suites/requirements.yaml). */
export interface CatalogRow {
  title: string
  level: Level
}

type CheckRef = RequirementVerdict['checks'][number]

interface Evidence {
  scenarios: Set<string>
  checks: CheckRef[]
  failedMust: CheckResult[]
  failedShould: CheckResult[]
  passed: number
  notApplicable: number
  outcomes: Set<ScenarioResult['outcome'] | 'not-run'>
}

function evidenceFor(map: Map<string, Evidence>, id: string): Evidence {
  let found = map.get(id)
  if (!found) {
    found = {
      scenarios: new Set(),
      checks: [],
      failedMust: [],
      failedShould: [],
      passed: 0,
      notApplicable: 0,
      outcomes: new Set(),
    }
    map.set(id, found)
  }
  return found
}

function addCheck(evidence: Evidence, scenario: string, step: string, check: CheckResult): void {
  const na = check.notApplicable !== undefined
  evidence.checks.push({
    scenario,
    step,
    check: check.name,
    ok: check.ok,
    ...(na ? { notApplicable: true } : {}),
  })
  if (na) evidence.notApplicable += 1
  else if (check.ok || check.level === 'may') evidence.passed += 1
  else if (check.level === 'must') evidence.failedMust.push(check)
  else evidence.failedShould.push(check)
}

function verdictOf(evidence: Evidence): { verdict: RequirementVerdictName; excused?: boolean } {
  const excused = (checks: CheckResult[]) => checks.every((check) => check.excused !== undefined)
  if (evidence.failedMust.length > 0) {
    return { verdict: 'fail', ...(excused(evidence.failedMust) ? { excused: true } : {}) }
  }
  if (evidence.failedShould.length > 0) {
    return { verdict: 'warn', ...(excused(evidence.failedShould) ? { excused: true } : {}) }
  }
  if (evidence.passed > 0) return { verdict: 'pass' }
  if (evidence.notApplicable > 0) return { verdict: 'not-applicable' }
  if (evidence.outcomes.has('inconclusive')) return { verdict: 'inconclusive' }
  if (evidence.outcomes.size > 0 && [...evidence.outcomes].every((o) => o === 'skipped')) {
    return { verdict: 'not-applicable' }
  }
  return { verdict: 'untested' }
}

/**
 * One verdict for each requirement the run touched (cited by a scenario or a check), in catalog
 * order where the catalog is known, else by id.
 */
export function requirementVerdicts(
  scenarios: readonly ScenarioResult[],
  catalog?: ReadonlyMap<string, CatalogRow>,
): RequirementVerdict[] {
  const evidence = new Map<string, Evidence>()
  for (const scenario of scenarios) {
    const cited = new Set(scenario.requirements)
    for (const step of scenario.steps) {
      for (const check of step.checks) {
        if (check.requirement === undefined) continue
        cited.add(check.requirement)
        addCheck(evidenceFor(evidence, check.requirement), scenario.id, step.id, check)
      }
    }
    for (const id of cited) {
      const found = evidenceFor(evidence, id)
      found.scenarios.add(scenario.id)
      // A scenario the run never finished says nothing about applicability: untested.
      found.outcomes.add(scenario.notRun ? 'not-run' : scenario.outcome)
    }
  }
  const order = catalog ? [...catalog.keys()] : []
  const rank = (id: string) => {
    const index = order.indexOf(id)
    return index < 0 ? order.length : index
  }
  return [...evidence.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([id, found]) => {
      const row = catalog?.get(id)
      const link = specLink(id)
      return {
        id,
        ...(row ? { title: row.title, level: row.level } : {}),
        ...(link ? { source: link.source, url: link.url } : {}),
        ...verdictOf(found),
        scenarios: [...found.scenarios].sort(),
        checks: found.checks,
      }
    })
}

/** How many requirements got each verdict (the console summary's last line). */
export function countVerdicts(
  verdicts: readonly RequirementVerdict[],
): Record<RequirementVerdictName, number> {
  const counts: Record<RequirementVerdictName, number> = {
    pass: 0,
    fail: 0,
    warn: 0,
    inconclusive: 0,
    'not-applicable': 0,
    untested: 0,
  }
  for (const verdict of verdicts) counts[verdict.verdict] += 1
  return counts
}
