/**
 * Builds the run's reporters from `--reporter NAME[=PATH]` specs.
 *
 * File reporters write at run end, creating folders. Without a path: `junit` -> `junit.xml`,
 * `html` -> `report.html`, `markdown` -> `report.md` (in cwd); `json` goes to the stream (stdout)
 * unless the console reporter also writes there, then to `dcr-conformance-report.json`.
 * `NAME=-` writes to the stream. `console=PATH` writes the console text (no colours) to a file.
 * The console is on unless the run names it or sends another report to the stream, and then
 * each file written is named on the stream after the summary. `--quiet` turns the console off.
 */
import { resolve } from 'node:path'
import { Writable } from 'node:stream'
import { UsageError } from '../harness/errors.ts'
import type { Report } from '../harness/model/report.ts'
import type { Reporter } from '../harness/model/reporter.ts'
import { createAnnotationsReporter } from './annotations.ts'
import { createConsoleReporter } from './console.ts'
import { createHtmlReporter } from './html.ts'
import { createJsonReporter } from './json.ts'
import { createJunitReporter } from './junit.ts'
import { createMarkdownReporter } from './markdown.ts'
import { writeOutputFile, writeToStream } from './output.ts'

export const REPORTER_NAMES = ['console', 'json', 'junit', 'html', 'markdown'] as const
export type ReporterName = (typeof REPORTER_NAMES)[number]

/** Default files of the file reporters when no path is given. */
export const DEFAULT_REPORT_FILES: Record<Exclude<ReporterName, 'console'>, string> = {
  json: 'dcr-conformance-report.json',
  junit: 'junit.xml',
  html: 'report.html',
  markdown: 'report.md',
}

export interface ReporterSpec {
  name: ReporterName
  /** Absent: default (see module comment); `-`: the stream. */
  path?: string
}

export interface CreateReportersOptions {
  /** Where console output (and stream-bound reports) go; default process.stdout. */
  stream?: NodeJS.WritableStream
  color?: boolean
  /** Base for relative paths; default process.cwd(). */
  cwd?: string
  env?: Record<string, string | undefined>
  /** `--quiet`: no console on the stream (a `console=FILE` report is still written). */
  quiet?: boolean
}

const aliases: Record<string, ReporterName> = { md: 'markdown', xml: 'junit' }

/** Parse `NAME` or `NAME=PATH`; unknown names are a UsageError. */
export function parseReporterSpec(spec: string): ReporterSpec {
  const eq = spec.indexOf('=')
  const rawName = (eq < 0 ? spec : spec.slice(0, eq)).trim().toLowerCase()
  const name = aliases[rawName] ?? rawName
  if (!(REPORTER_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(
      `unknown reporter "${rawName}" in --reporter ${spec} (known: ${REPORTER_NAMES.join(', ')})`,
    )
  }
  const path = eq < 0 ? '' : spec.slice(eq + 1).trim()
  if (eq >= 0 && path === '') throw new UsageError(`--reporter ${spec}: missing path after "="`)
  return { name: name as ReporterName, ...(path ? { path } : {}) }
}

function consoleToFile(path: string, options: CreateReportersOptions): Reporter {
  const chunks: string[] = []
  const sink = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString())
      callback()
    },
  })
  const inner = createConsoleReporter({
    stream: sink,
    color: false,
    live: false,
    ...(options.env ? { env: options.env } : {}),
  })
  return {
    ...inner,
    async onRunEnd(report: Report) {
      await inner.onRunEnd(report)
      await writeOutputFile(path, chunks.join(''))
    },
  }
}

/** The reporters for `specs` (default `['console']` when empty). */
export function createReporters(
  specs: readonly string[],
  options: CreateReportersOptions = {},
): Reporter[] {
  const all = withImplicitConsole(specs.map(parseReporterSpec))
  // The console first, so its summary comes before the lines naming the files written.
  const ordered = [...all.filter(consoleOnTheStream), ...all.filter((s) => !consoleOnTheStream(s))]
  const parsed = options.quiet ? ordered.filter((spec) => !consoleOnTheStream(spec)) : ordered
  const stream = options.stream ?? process.stdout
  const cwd = options.cwd ?? process.cwd()
  const consoleOnStream = parsed.some(consoleOnTheStream)
  // A report without a file goes to the stream: `NAME=-`, or `json` when no console is there.
  const toStream = (spec: ReporterSpec) =>
    spec.path === '-' || (!spec.path && spec.name === 'json' && !consoleOnStream)
  const reporters = parsed.map((spec) => {
    if (spec.name === 'console') {
      return spec.path && spec.path !== '-'
        ? consoleToFile(resolve(cwd, spec.path), options)
        : createConsoleReporter({
            stream,
            ...(options.color !== undefined ? { color: options.color } : {}),
            ...(options.env ? { env: options.env } : {}),
          })
    }
    const target = toStream(spec)
      ? { stream }
      : { stream, path: resolve(cwd, spec.path ?? DEFAULT_REPORT_FILES[spec.name]) }
    const reporter = fileReporter(spec.name, target)
    // The job log says where each file went, after the console summary.
    return target.path && consoleOnStream
      ? announcing(reporter, spec.name, target.path, stream)
      : reporter
  })
  // In a GitHub Actions job, failing checks also become annotations at the scenario's line.
  const env = options.env ?? process.env
  // Not when a report goes to the stream: annotation lines would break it.
  const streamed = parsed.some((spec) => spec.name !== 'console' && toStream(spec))
  if (env['GITHUB_ACTIONS'] === 'true' && !streamed) {
    reporters.push(createAnnotationsReporter(stream))
  }
  return reporters
}

const consoleOnTheStream = (spec: ReporterSpec) =>
  spec.name === 'console' && (!spec.path || spec.path === '-')

/**
 * The console stays on unless the run names it (to a file or the stream) or another report
 * goes to the stream: `--reporter junit=out.xml` alone must not leave a CI job log empty.
 */
function withImplicitConsole(specs: ReporterSpec[]): ReporterSpec[] {
  if (specs.length === 0) return [{ name: 'console' }]
  const named = specs.some((spec) => spec.name === 'console')
  const streamed = specs.some((spec) => spec.path === '-' || (spec.name === 'json' && !spec.path))
  return named || streamed ? specs : [{ name: 'console' }, ...specs]
}

function fileReporter(
  name: Exclude<ReporterName, 'console'>,
  target: { stream: NodeJS.WritableStream; path?: string },
): Reporter {
  switch (name) {
    case 'json':
      return createJsonReporter(target)
    case 'junit':
      return createJunitReporter(target)
    case 'html':
      return createHtmlReporter(target)
    case 'markdown':
      return createMarkdownReporter(target)
  }
}

/** After the file is written, one line naming it on the stream. */
function announcing(
  reporter: Reporter,
  name: string,
  path: string,
  stream: NodeJS.WritableStream,
): Reporter {
  return {
    ...reporter,
    async onRunEnd(report) {
      await reporter.onRunEnd(report)
      await writeToStream(stream, `${name} report: ${path}\n`)
    },
  }
}

export { redactingReporter, redactingReporters } from './redacting.ts'
