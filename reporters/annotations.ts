/**
 * GitHub Actions workflow annotations (issue 11, item 5): under GITHUB_ACTIONS=true, one
 * `::error file=…,line=…::` per failing MUST check (and errored scenario), one `::warning` per
 * failing SHOULD check, at the scenario file and the line of the failing step when the checkout
 * holds that file (else the message names it). Known deviations are not annotated: they do not
 * fail the run.
 */
import { isAbsolute } from 'node:path'
import type { ScenarioResult } from '../harness/model/result.ts'
import type { Report } from '../harness/model/report.ts'
import type { Reporter } from '../harness/model/reporter.ts'
import {
  requirementIndex,
  requirementRef,
  requirementText,
  type RequirementIndex,
} from './failure-text.ts'
import { errorHint } from './hints.ts'
import { writeToStream } from './output.ts'
import {
  erroredStep,
  failingChecks,
  reasonOf,
  truncate,
} from './summary.ts'
import { isUnexpectedProblem } from '../harness/verdicts/run-status.ts'

/** GitHub shows only the first annotations of a step; more would only lengthen the log. */
export const MAX_ANNOTATIONS = 50

export interface Annotation {
  level: 'error' | 'warning'
  /** Absent when the scenario file is not in the workflow's checkout (packageFile says why). */
  file?: string
  line?: number
  title: string
  message: string
}

/** Escape the message of a workflow command (`%`, CR, LF). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

/** Escape a property of a workflow command (also `:` and `,`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}

/**
 * Whether a scenario file (relative to the working directory) is one of the checkout's own: a
 * built-in scenario of an installed package (`node_modules/...`) or a file outside the
 * directory is not, and GitHub cannot show an annotation at a file the repository does not hold.
 */
export function isWorkspaceFile(file: string): boolean {
  const parts = file.replaceAll('\\', '/').split('/')
  return !isAbsolute(file) && parts[0] !== '..' && !parts.includes('node_modules')
}

/** Where an annotation points: the file and line, or a last line of its message naming them. */
function placeOf(
  file: string,
  line: number | undefined,
): { at: Pick<Annotation, 'file' | 'line'>; suffix: string } {
  if (isWorkspaceFile(file)) return { at: { file, ...(line ? { line } : {}) }, suffix: '' }
  return { at: {}, suffix: `\nscenario: ${file}${line ? `:${line}` : ''}` }
}

/** `::error file=suites/x.yaml,line=12,title=…::message`. */
export function formatAnnotation(annotation: Annotation): string {
  const properties = [
    ...(annotation.file ? [`file=${escapeProperty(annotation.file)}`] : []),
    ...(annotation.file && annotation.line ? [`line=${annotation.line}`] : []),
    `title=${escapeProperty(annotation.title)}`,
  ].join(',')
  return `::${annotation.level} ${properties}::${escapeData(annotation.message)}`
}

function scenarioAnnotations(scenario: ScenarioResult, index: RequirementIndex): Annotation[] {
  const found: Annotation[] = []
  if (scenario.outcome === 'errored') {
    const step = erroredStep(scenario)
    const reason = reasonOf(scenario) ?? 'errored'
    const hint = errorHint(step?.message ?? reason)
    const { at, suffix } = placeOf(scenario.file, step?.line)
    found.push({
      level: 'error',
      ...at,
      title: `${scenario.id}: errored${step ? ` at step ${step.id}` : ''}`,
      message: (hint ? `${reason}\nhint: ${hint}` : reason) + suffix,
    })
  }
  for (const { step, check } of failingChecks(scenario)) {
    if (check.level === 'may' || check.excused !== undefined || !check.requirement) continue
    const ref = requirementRef(check.requirement, index)
    const text = truncate([requirementText(ref), check.message].filter(Boolean).join('\n'), 600)
    const { at, suffix } = placeOf(scenario.file, step.line)
    found.push({
      level: check.level === 'must' ? 'error' : 'warning',
      ...at,
      title: `${scenario.id} > ${step.id}: ${check.name} (${check.level})`,
      message: text + suffix,
    })
  }
  return found
}

/** The annotations of a report: failures (errors) first, then warnings. */
export function annotations(report: Report): Annotation[] {
  const index = requirementIndex(report)
  const all = report.scenarios.flatMap((scenario) =>
    isUnexpectedProblem(scenario) || scenario.outcome === 'warned'
      ? scenarioAnnotations(scenario, index)
      : [],
  )
  return [...all.filter((a) => a.level === 'error'), ...all.filter((a) => a.level === 'warning')]
}

/** Prints the annotations at run end (on the job log, where the runner reads them). */
export function createAnnotationsReporter(stream: NodeJS.WritableStream): Reporter {
  return {
    async onRunEnd(report: Report) {
      const found = annotations(report)
      const lines = found.slice(0, MAX_ANNOTATIONS).map(formatAnnotation)
      if (found.length > MAX_ANNOTATIONS) {
        lines.push(`::notice::${found.length - MAX_ANNOTATIONS} more failures in the reports`)
      }
      if (lines.length > 0) await writeToStream(stream, `${lines.join('\n')}\n`)
    },
  }
}
