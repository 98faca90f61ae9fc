/**
 * A foreign origin for the hostile matrix: a loopback server on another port (so another origin)
 * that answers every request with a plain 200 JSON object and records it. `credentialRequests`
 * counts the requests that carried a credential of the target (issue 10, item 1): an
 * Authorization header, a secret member in the body or query, or any value the test knows as
 * secret (the IAT, the IAT client secret, the RATs and client secrets the target issued).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Member names that are credentials wherever they appear (form, JSON or query). */
const CREDENTIAL_MEMBERS = [
  'client_secret',
  'client_assertion',
  'registration_access_token',
  'refresh_token',
  'code',
  'code_verifier',
  'password',
  'access_token',
]

export interface ForeignRequest {
  method: string
  url: string
  headers: Record<string, string | string[] | undefined>
  /** The first 64 KiB of the body. */
  body: string
}

export interface ForeignRecorder {
  origin: string
  requests: ForeignRequest[]
  /** Recorded requests carrying a credential (see the file comment). */
  credentialRequests(secrets?: readonly string[]): ForeignRequest[]
  close(): Promise<void>
}

/** Whether `request` carries a credential: a credential header, member, or a known secret value. */
export function carriesCredential(request: ForeignRequest, secrets: readonly string[] = []): boolean {
  if (request.headers.authorization !== undefined || request.headers['proxy-authorization'] !== undefined) {
    return true
  }
  const query = new URL(request.url, 'http://foreign.invalid').searchParams
  const form = new URLSearchParams(request.body)
  if (CREDENTIAL_MEMBERS.some((name) => query.has(name) || form.has(name))) return true
  if (CREDENTIAL_MEMBERS.some((name) => jsonMembers(request.body).has(name))) return true
  const everything = `${request.url}\n${JSON.stringify(request.headers)}\n${request.body}`
  return secrets.some((secret) => secret.length >= 6 && everything.includes(secret))
}

/** The top-level member names of a JSON object body (none for anything else). */
function jsonMembers(body: string): Set<string> {
  try {
    const parsed = JSON.parse(body) as unknown
    return typeof parsed === 'object' && parsed !== null ? new Set(Object.keys(parsed)) : new Set()
  } catch {
    return new Set()
  }
}

export async function startForeignRecorder(): Promise<ForeignRecorder> {
  const requests: ForeignRequest[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      if (size < 65_536) chunks.push(chunk)
      size += chunk.length
    })
    req.on('end', () => {
      requests.push({
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: { ...req.headers },
        body: Buffer.concat(chunks).toString('utf8').slice(0, 65_536),
      })
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    requests,
    credentialRequests: (secrets = []) => requests.filter((request) => carriesCredential(request, secrets)),
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
