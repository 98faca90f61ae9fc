/**
 * Shared plumbing of the conformant-variant suites (test/suites/variants/*.test.ts). Each suite
 * covers conformant behaviours that differ from the reference server's defaults: the reference
 * server is started with a policy (and/or faults) that behaves like such a server, and the
 * affected scenarios must pass or be skipped, never fail. `run` starts it, runs the scenarios and
 * closes it; the small helpers read the results.
 */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { expect } from 'vitest'
import { startReferenceTarget } from '../../../builtin/reference-target.ts'
import { runSuite } from '../../../harness/run-suite.ts'
import { repoRoot } from '../../../harness/scenario/vocabulary.ts'
import type { Level } from '../../../harness/model/scenario.ts'
import type { TargetConfig } from '../../../harness/model/target.ts'
import type { CheckResult, ScenarioResult } from '../../../harness/model/result.ts'
import { capabilitiesUnder } from '../policies.ts'

const root = repoRoot()

/** A reference-server policy (config override). */
export type Policy = Record<string, unknown>

export interface RunOptions {
  /** The reference server's policy; the target declares the capabilities it implies. */
  policy?: Policy
  /** Reference-server faults. */
  faults?: string[]
  /** The capabilities the target declares, instead of those the policy implies. */
  capabilities?: string[]
  /** Target members set over the reference target's (e.g. `scope`, `registration`). */
  target?: Partial<TargetConfig>
  /** Scenarios run at once (default: the harness's). */
  workers?: number
  /**
   * Expect every selected scenario to have run (`all`), or more than half of them (`most`: a
   * whole folder may hold scenarios this target does not plan). Default: no expectation.
   */
  ran?: 'all' | 'most'
}

/**
 * Which scenarios: ids (paths under suites/ without `.yaml`), or the scenarios of one suites/
 * folder (the named ones, or every file of it).
 */
export type Selection = { ids: readonly string[] } | { folder: string; names?: readonly string[] | undefined }

/** Results by scenario id; for a `folder` selection, by name within that folder. */
export type Results = Map<string, ScenarioResult>

/** Runs the selected scenarios on a reference server started with `options`, then closes it. */
export async function run(options: RunOptions & Selection): Promise<Results> {
  const files = await scenarioFiles(options)
  const reference = await startReferenceTarget({
    ...(options.policy ? { config: options.policy } : {}),
    faults: options.faults ?? [],
  })
  try {
    const report = await runSuite({
      target: {
        ...reference.target,
        capabilities: options.capabilities ?? capabilitiesUnder(options.policy),
        ...options.target,
      },
      suite: files,
      loginDriver: 'http',
      ...(options.workers ? { workers: options.workers } : {}),
      cwd: root,
    })
    if (options.ran === 'all') expect(report.scenarios).toHaveLength(files.length)
    if (options.ran === 'most') expect(report.scenarios.length).toBeGreaterThan(files.length / 2)
    const prefix = 'folder' in options ? `${options.folder}/` : ''
    const key = (id: string) => (id.startsWith(prefix) ? id.slice(prefix.length) : id)
    return new Map(report.scenarios.map((s) => [key(s.id), s]))
  } finally {
    await reference.close()
  }
}

async function scenarioFiles(selection: Selection): Promise<string[]> {
  if ('ids' in selection) return selection.ids.map((id) => join(root, 'suites', `${id}.yaml`))
  const names = selection.names ?? (await folderNames(selection.folder))
  return names.map((name) => join(root, 'suites', selection.folder, `${name}.yaml`))
}

/** Names of the scenario files of a suites/ folder. */
async function folderNames(folder: string): Promise<string[]> {
  return (await readdir(join(root, 'suites', folder)))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => name.slice(0, -'.yaml'.length))
}

/** Every scenario file of a suites/ folder, as ids. */
export async function folderIds(folder: string): Promise<string[]> {
  return (await folderNames(folder)).map((name) => `${folder}/${name}`)
}

/** A result's outcome and message, then its errored steps and failed checks. */
export function summary(result: ScenarioResult | undefined): string {
  if (!result) return 'no result'
  const failed = result.steps.flatMap((step) =>
    step.checks.filter((c) => !c.ok).map((c) => `${step.id}: ${c.name}: ${c.message ?? ''}`),
  )
  const errored = result.steps
    .filter((step) => step.outcome === 'errored')
    .map((step) => `${step.id}: ${step.message ?? ''}`)
  return [`${result.id} ${result.outcome} ${result.message ?? ''}`, ...errored, ...failed].join('\n  ')
}

/** Every failed check of a result (preconditions included). */
export function failedChecks(result: ScenarioResult | undefined): CheckResult[] {
  return (result?.steps ?? []).flatMap((step) => step.checks.filter((c) => !c.ok))
}

/** [requirement, level] of every failed check of a result. */
export function failures(result: ScenarioResult | undefined): [string | undefined, Level][] {
  return failedChecks(result).map((c): [string | undefined, Level] => [c.requirement, c.level])
}

/** [requirement, level] of every failed check citing a requirement (no preconditions). */
export function citedFailures(result: ScenarioResult | undefined): [string | undefined, Level][] {
  return failures(result).filter(([requirement]) => requirement !== undefined)
}

/** A summary of every result whose outcome is not in `allowed`. */
export function outcomesOutside(results: Results, allowed: string[]): string[] {
  return [...results.values()].filter((s) => !allowed.includes(s.outcome)).map((s) => summary(s))
}
