/**
 * The `command` target provider: a targets.yaml entry with `provider: { command: [...] }` starts
 * its server as a child process (no shell), waits for the one line on its stdout that says it is
 * ready, then stops it (SIGTERM, SIGKILL after a grace period) when the run ends. The ready line
 * is a JSON object: `{"issuer": "https://...", "env": {"NAME": "value"}}`; `env` fills the
 * entry's `${{ env.NAME }}` references (secrets the server made up at start), and `issuer` is the
 * issuer when the entry gives none. Every other line is only kept for the error message.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { HarnessError, UsageError } from '../errors.ts'
import type { TargetConfig } from '../model/target.ts'
import type { ProviderEntry, StartedTarget, TargetProvider } from './target-provider.ts'

const DEFAULT_TIMEOUT_MS = 60_000
const STOP_GRACE_MS = 5_000
const KEPT_LINES = 20

/** What the ready line says. */
export interface ReadyLine {
  issuer: string
  env: Record<string, string>
}

interface CommandSettings {
  command: string[]
  cwd: string
  timeoutMs: number
}

export const commandProvider: TargetProvider = {
  name: 'command',
  async start(request) {
    const entry = request.entry
    if (!entry) throw new UsageError("the 'command' provider starts targets.yaml entries only")
    const settings = commandSettings(entry)
    const child = spawn(settings.command[0]!, settings.command.slice(1), {
      cwd: settings.cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const stop = stopper(child)
    try {
      const ready = await waitForReady(child, settings, entry.target)
      return started(entry, ready, stop)
    } catch (error) {
      await stop()
      throw error
    }
  },
}

function commandSettings(entry: ProviderEntry): CommandSettings {
  const { command, cwd, timeout_ms: timeout } = entry.settings
  const strings = Array.isArray(command) && command.every((part) => typeof part === 'string')
  if (!strings || command.length === 0) {
    throw new UsageError(`target '${entry.target}': provider.command must be a list of strings`)
  }
  return {
    command: command as string[],
    cwd: typeof cwd === 'string' ? resolve(entry.baseDir, cwd) : entry.baseDir,
    timeoutMs: typeof timeout === 'number' ? timeout : DEFAULT_TIMEOUT_MS,
  }
}

function started(entry: ProviderEntry, ready: ReadyLine, stop: () => Promise<void>): StartedTarget {
  const config: TargetConfig = entry.resolve(ready.env)
  return { target: config.issuer ? config : { ...config, issuer: ready.issuer }, close: stop }
}

/** Parses one stdout line as the ready line; undefined for any other line. */
export function parseReadyLine(line: string): ReadyLine | undefined {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const { issuer, env } = value as { issuer?: unknown; env?: unknown }
  if (typeof issuer !== 'string' || issuer === '') return undefined
  const exported: Record<string, string> = {}
  if (typeof env === 'object' && env !== null) {
    for (const [name, item] of Object.entries(env)) {
      if (typeof item === 'string') exported[name] = item
    }
  }
  return { issuer, env: exported }
}

/** Resolves with the ready line; rejects if the process ends, cannot start or takes too long. */
function waitForReady(
  child: ChildProcess,
  settings: CommandSettings,
  target: string,
): Promise<ReadyLine> {
  const kept: string[] = []
  const keep = (line: string): void => {
    kept.push(line)
    if (kept.length > KEPT_LINES) kept.shift()
  }
  const failure = (reason: string): HarnessError =>
    new HarnessError(
      'E_TARGET_UNREACHABLE',
      `target '${target}': provider command ${reason}` +
        (kept.length ? `; its last output: ${kept.join(' | ')}` : ''),
    )
  // Both streams are read to the end, also after the ready line: a full pipe would block the child.
  createInterface({ input: child.stderr! }).on('line', keep)
  const stdout = createInterface({ input: child.stdout! })
  return new Promise<ReadyLine>((resolvePromise, reject) => {
    const timer = setTimeout(
      () => reject(failure(`gave no ready line within ${settings.timeoutMs} ms`)),
      settings.timeoutMs,
    )
    const settle = (): void => clearTimeout(timer)
    stdout.on('line', (line) => {
      const ready = parseReadyLine(line)
      if (!ready) return keep(line)
      settle()
      resolvePromise(ready)
    })
    child.once('error', (error) => {
      settle()
      reject(failure(`could not start (${settings.command[0]}: ${error.message})`))
    })
    // `close`, not `exit`: it comes after the last output, so the message quotes all of it.
    child.once('close', (code, signal) => {
      settle()
      reject(failure(`ended before it was ready (${signal ?? `exit code ${code}`})`))
    })
  })
}

/** Stops the child once: SIGTERM, then SIGKILL if it is still running after the grace period. */
function stopper(child: ChildProcess): () => Promise<void> {
  const killOnExit = (): void => {
    child.kill('SIGKILL')
  }
  process.once('exit', killOnExit)
  // A signal that can no longer be delivered is not the run's error.
  child.on('error', () => {})
  let stopping: Promise<void> | undefined
  return () => {
    stopping ??= new Promise<void>((done) => {
      process.removeListener('exit', killOnExit)
      const gone = child.pid === undefined || child.exitCode !== null || child.signalCode !== null
      if (gone) return done()
      const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
      child.once('exit', () => {
        clearTimeout(force)
        done()
      })
      child.kill('SIGTERM')
    })
    return stopping
  }
}
