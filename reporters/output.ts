/** Where reporters put their output: a file (folders created) or a stream. */
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Report } from '../harness/model/report.ts'
import type { Reporter } from '../harness/model/reporter.ts'

/** Where a whole-report reporter writes: `path` when given, else `stream` (default stdout). */
export interface OutputOptions {
  /** File to write; without it the report goes to `stream`. */
  path?: string
  stream?: NodeJS.WritableStream
}

/** Write `content` to `path`, creating missing folders. */
export async function writeOutputFile(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, content, 'utf8')
}

/** Write to a stream and wait until it has taken the data. */
export function writeToStream(stream: NodeJS.WritableStream, content: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(content, (error?: Error | null) => (error ? reject(error) : resolve()))
  })
}

/** Write to `path` when given, else to `stream`. */
export async function writeOutput(
  target: { path?: string; stream: NodeJS.WritableStream },
  content: string,
): Promise<void> {
  if (target.path) await writeOutputFile(target.path, content)
  else await writeToStream(target.stream, content)
}

/** A reporter that renders the finished report once and writes it where `options` say. */
export function createOutputReporter(
  options: OutputOptions,
  render: (report: Report) => string,
): Reporter {
  return {
    async onRunEnd(report: Report) {
      await writeOutput(
        {
          ...(options.path ? { path: options.path } : {}),
          stream: options.stream ?? process.stdout,
        },
        render(report),
      )
    },
  }
}
