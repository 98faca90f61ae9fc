/**
 * The CLI as a real child process (cli-entry.ts), with what a test needs to judge it: its output
 * as it comes, a wait for a line, signals, the exit code, and its peak memory (VmHWM, read from
 * /proc while it runs and once more just before it is reaped).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const ENTRY = fileURLToPath(new URL('./cli-entry.ts', import.meta.url))

export interface CliProcess {
  child: ChildProcess
  stdout(): string
  stderr(): string
  /** Resolves when `pattern` shows up on stdout or stderr (rejects after `timeoutMs`). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>
  /** Resolves to the exit code (null when killed by a signal). */
  exited: Promise<number | null>
  /** Peak resident memory seen, in KiB (0 where /proc is not available). */
  peakRssKib(): number
}

export function startCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  let peak = 0
  const waiters: { pattern: RegExp; resolve: () => void }[] = []
  const check = () => {
    for (const waiter of [...waiters]) {
      if (waiter.pattern.test(out) || waiter.pattern.test(err)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve()
      }
    }
  }
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString()
    check()
  })
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString()
    check()
  })
  const sample = () => {
    peak = Math.max(peak, vmHwmKib(child.pid))
  }
  const sampler = setInterval(sample, 50)
  // `close`, not `exit`: only then has all of stdout and stderr been read (a loaded machine can
  // report the exit before the last error line arrives).
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      clearInterval(sampler)
      resolve(code)
    })
  })
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    peakRssKib: () => peak,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${out}\n${err}`)),
          timeoutMs,
        )
        waiters.push({
          pattern,
          resolve: () => {
            clearTimeout(timer)
            resolve()
          },
        })
        check()
      })
    },
  }
}

/** VmHWM (peak resident set) of a live process in KiB; 0 when it cannot be read. */
function vmHwmKib(pid: number | undefined): number {
  if (pid === undefined) return 0
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const match = /^VmHWM:\s+(\d+) kB/m.exec(status)
    return match ? Number(match[1]) : 0
  } catch {
    return 0
  }
}
