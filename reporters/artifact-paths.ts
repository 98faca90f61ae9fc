/**
 * Portable artifact paths (issue 11, item 8): a report names each artifact relative to the
 * folder of the report file, so reports and artifacts uploaded together keep working.
 */
import { readFile, stat } from 'node:fs/promises'
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path'
import type { ScenarioResult } from '../harness/model/result.ts'
import type { Report } from '../harness/model/report.ts'

/** `path` relative to `baseDir`, with `/` separators (what links and CI systems read). */
export function portablePath(path: string, baseDir: string): string {
  if (!isAbsolute(path)) return path.split(sep).join('/')
  return relative(baseDir, path).split(sep).join('/') || '.'
}

/** The folder a report's paths are relative to: its file's, else the working directory. */
export function reportBase(reportPath: string | undefined, cwd = process.cwd()): string {
  return reportPath ? dirname(resolve(cwd, reportPath)) : cwd
}

function scenarioWithPaths(
  scenario: ScenarioResult,
  map: (path: string) => string,
): ScenarioResult {
  if (!scenario.steps.some((step) => step.artifacts.length > 0)) return scenario
  return {
    ...scenario,
    steps: scenario.steps.map((step) =>
      step.artifacts.length === 0
        ? step
        : {
            ...step,
            artifacts: step.artifacts.map((item) => ({ ...item, path: map(item.path) })),
          },
    ),
  }
}

/** The report with every artifact path relative to `baseDir`. */
export function withPortablePaths(report: Report, baseDir: string): Report {
  const map = (path: string) => portablePath(path, baseDir)
  return { ...report, scenarios: report.scenarios.map((s) => scenarioWithPaths(s, map)) }
}

/** A report read from a file: its relative artifact paths resolved against the file's folder. */
export function withAbsolutePaths(report: Report, reportDir: string): Report {
  const map = (path: string) => resolve(reportDir, path)
  return { ...report, scenarios: report.scenarios.map((s) => scenarioWithPaths(s, map)) }
}

/** Screenshots larger than this are linked, not embedded. */
export const MAX_EMBEDDED_IMAGE_BYTES = 512 * 1024
/** All embedded screenshots together stay under this. */
export const MAX_EMBEDDED_TOTAL_BYTES = 8 * 1024 * 1024

/**
 * Screenshots of failing steps as data: URIs, by their (absolute or cwd-relative) path; a file
 * that is missing, too large or over the page's budget is left out (the report links it).
 */
export async function embeddedImages(report: Report): Promise<Map<string, string>> {
  const found = new Map<string, string>()
  let total = 0
  for (const scenario of report.scenarios) {
    for (const step of scenario.steps) {
      if (!['failed', 'errored', 'inconclusive', 'warned'].includes(step.outcome)) continue
      for (const artifact of step.artifacts) {
        if (!/^image\/(png|jpeg)$/.test(artifact.contentType) || found.has(artifact.path)) continue
        const size = await stat(artifact.path).then((s) => s.size, () => undefined)
        if (size === undefined || size > MAX_EMBEDDED_IMAGE_BYTES) continue
        if (total + size > MAX_EMBEDDED_TOTAL_BYTES) return found
        const bytes = await readFile(artifact.path).catch(() => undefined)
        if (!bytes) continue
        total += bytes.length
        found.set(artifact.path, `data:${artifact.contentType};base64,${bytes.toString('base64')}`)
      }
    }
  }
  return found
}
