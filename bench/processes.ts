/** Child processes of the bench: timed command runs and servers that announce themselves. */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('..', import.meta.url))

export interface TimedRun {
  wallMs: number
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a command to its end; wall time from spawn to exit. */
export function timedRun(
  command: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<TimedRun> {
  const started = performance.now()
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code) =>
      resolve({ wallMs: performance.now() - started, code, stdout, stderr }),
    )
  })
}

export interface Launched<T> {
  info: T
  child: ChildProcess
  stop(): void
}

/** Starts a TypeScript server script and waits for the JSON line it prints when it listens. */
export async function launch<T>(
  script: string,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<Launched<T>> {
  const child = spawn(process.execPath, [...nodeArgs, 'bin/run-ts.js', script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  })
  child.stderr!.resume()
  const info = await new Promise<T>((resolve, reject) => {
    let buffer = ''
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), 60_000)
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)))
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const end = buffer.indexOf('\n')
      if (end < 0) return
      clearTimeout(timer)
      resolve(JSON.parse(buffer.slice(0, end)) as T)
    })
  })
  return { info, child, stop: () => void child.kill('SIGTERM') }
}

/** Asks a launched bench server for its memory use after a GC (servers/control.ts). */
export function memoryOf(child: ChildProcess): Promise<NodeJS.MemoryUsage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no memory answer')), 30_000)
    child.once('message', (message) => {
      clearTimeout(timer)
      resolve((message as { memory: NodeJS.MemoryUsage }).memory)
    })
    child.send('memory')
  })
}
