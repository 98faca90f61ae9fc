/** What the CIMD tests share: the fixtures/tls files and a fetch as the target's server makes it. */
import { readFile } from 'node:fs/promises'
import { request } from 'node:https'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import type { CimdPublisher, PublisherOptions } from '../../../harness/cimd/publisher.ts'
import { packagePath } from '../../../harness/package-root.ts'

const tlsFolder = packagePath('fixtures', 'tls')

/** The test server certificate and key (the publisher's) and the CA that signed them. */
export async function testTls(): Promise<{ cert: string; key: string; ca: string }> {
  const [cert, key, ca] = await Promise.all(
    ['server.pem', 'server-key.pem', 'ca.pem'].map((name) =>
      readFile(join(tlsFolder, name), 'utf8'),
    ),
  )
  return { cert: cert!, key: key!, ca: ca! }
}

export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** One request trusting `ca`, as the target's server would fetch a document; rejects on a reset. */
export function fetchDocument(url: string, ca: string, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method, ca, headers: { accept: 'application/json' } },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        )
      },
    )
    outgoing.on('error', reject)
    outgoing.end()
  })
}

/**
 * A publisher on 127.0.0.1 with the test certificate for the tests of one file, started by
 * `start` (registered or not) before them and closed after them.
 */
export function usePublisher(start: (options: PublisherOptions) => Promise<CimdPublisher>): {
  publisher(): CimdPublisher
  ca(): string
} {
  let publisher: CimdPublisher | undefined
  let ca = ''
  beforeAll(async () => {
    const tls = await testTls()
    ca = tls.ca
    publisher = await start({ host: '127.0.0.1', port: 0, tls: { cert: tls.cert, key: tls.key } })
  })
  afterAll(async () => {
    await publisher?.close()
  })
  return { publisher: () => publisher!, ca: () => ca }
}
