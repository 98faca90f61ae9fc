/**
 * `--reporter ./my-reporter.js[=PATH]`: a reporter module of the user's, with the lifecycle of
 * the built-in ones (`Reporter` in harness/model/reporter.ts). The module's default export (or its
 * `createReporter`) is a factory taking {@link ReporterModuleOptions}, or a `Reporter` itself.
 * Its events are redacted like every reporter's (runner/run.ts).
 */
import { isAbsolute, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { HarnessError } from '../errors.ts'
import type { Reporter } from '../model/reporter.ts'

/** What a reporter module's factory receives. */
export interface ReporterModuleOptions {
  /** The text after `=` in `--reporter ./mod.js=PATH`, resolved against cwd. */
  path?: string
  /** Where the console goes (stdout). */
  stream: NodeJS.WritableStream
  cwd: string
  env: Record<string, string | undefined>
}

/** The factory a reporter module exports. */
export type ReporterFactory = (options: ReporterModuleOptions) => Reporter | Promise<Reporter>

/** A spec naming a module by path rather than a built-in reporter. */
export function isReporterModule(spec: string): boolean {
  const name = spec.split('=')[0] ?? ''
  return /^(\.{1,2}[\\/]|\/|file:)/.test(name) || /\.(m?js|cjs|ts)$/.test(name)
}

/** Imports the module and builds its reporter; a bad module is a configuration error (exit 2). */
export async function loadReporterModule(
  spec: string,
  options: Omit<ReporterModuleOptions, 'path'>,
): Promise<Reporter> {
  const eq = spec.indexOf('=')
  const name = eq < 0 ? spec : spec.slice(0, eq)
  const path = eq < 0 ? undefined : spec.slice(eq + 1)
  const url = name.startsWith('file:')
    ? name
    : pathToFileURL(isAbsolute(name) ? name : resolve(options.cwd, name)).href
  let module: Record<string, unknown>
  try {
    module = (await import(url)) as Record<string, unknown>
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0]
    throw new HarnessError('E_CONFIG', `--reporter ${name}: cannot load the module: ${reason}`)
  }
  const exported = module['default'] ?? module['createReporter']
  const factoryOptions = { ...options, ...(path ? { path: resolve(options.cwd, path) } : {}) }
  const reporter =
    typeof exported === 'function' ? await (exported as ReporterFactory)(factoryOptions) : exported
  if (typeof (reporter as Reporter | undefined)?.onRunEnd !== 'function') {
    throw new HarnessError(
      'E_CONFIG',
      `--reporter ${name}: the module must export a factory (default or createReporter) ` +
        'returning a reporter with onRunEnd(report), or such a reporter',
    )
  }
  return reporter as Reporter
}
