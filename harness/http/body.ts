/**
 * Reads a response body with a size limit: the stream is consumed chunk by chunk and destroyed as
 * soon as the limit is passed, so a hostile target cannot make the harness buffer gigabytes.
 */
import type { Readable } from 'node:stream'
import { HarnessError } from '../errors.ts'

export async function readLimitedBody(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string)
    total += buffer.length
    if (total > maxBytes) {
      stream.destroy()
      throw new HarnessError(
        'E_HTTP_TOO_LARGE',
        `response body larger than the limit of ${maxBytes} bytes (read ${total} bytes so far)`,
      )
    }
    chunks.push(buffer)
  }
  return Buffer.concat(chunks)
}
