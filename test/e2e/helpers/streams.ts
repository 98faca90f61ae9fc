/** A writable stream that keeps what was written (for in-process CLI tests). */
import { Writable } from 'node:stream'

export function captureStream(): Writable & { text(): string } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString())
      callback()
    },
  })
  return Object.assign(stream, { text: () => chunks.join('') })
}

export async function runCli(
  argv: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
) {
  const { main } = await import('../../../harness/cli.ts')
  const stdout = captureStream()
  const stderr = captureStream()
  const code = await main(argv, { stdout, stderr, ...options })
  return { code, stdout: stdout.text(), stderr: stderr.text() }
}
