/**
 * Records what in-process HTTP(S) servers send (the reference server, here), to know a run's
 * secrets independently of the redactor: every cookie value, every login interaction handle,
 * and every credential the server issued (client secrets, tokens, codes).
 */
import { ServerResponse } from 'node:http'

export interface RecordedResponse {
  headers: Record<string, unknown>
  body: string
}

type Chunk = string | Uint8Array

/** Wraps ServerResponse's writeHead/write/end until `stop()`; headers and bodies are kept. */
export function recordServerResponses(): { responses: RecordedResponse[]; stop(): void } {
  const responses: RecordedResponse[] = []
  const open = new WeakMap<ServerResponse, RecordedResponse>()
  const proto = ServerResponse.prototype
  const original = { writeHead: proto.writeHead, write: proto.write, end: proto.end }
  const entry = (res: ServerResponse) => {
    let recorded = open.get(res)
    if (!recorded) {
      recorded = { headers: {}, body: '' }
      open.set(res, recorded)
      responses.push(recorded)
    }
    return recorded
  }
  const append = (res: ServerResponse, chunk: unknown) => {
    if (typeof chunk === 'string' || chunk instanceof Uint8Array)
      entry(res).body += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
  }
  proto.writeHead = function (this: ServerResponse, status: number, ...rest: unknown[]) {
    const headers = rest.find((item) => typeof item === 'object' && item !== null)
    Object.assign(entry(this).headers, this.getHeaders(), headers)
    return (original.writeHead as (...args: unknown[]) => ServerResponse).call(this, status, ...rest)
  } as typeof proto.writeHead
  proto.write = function (this: ServerResponse, chunk: Chunk, ...rest: unknown[]) {
    append(this, chunk)
    return (original.write as (...args: unknown[]) => boolean).call(this, chunk, ...rest)
  } as typeof proto.write
  proto.end = function (this: ServerResponse, ...args: unknown[]) {
    Object.assign(entry(this).headers, this.getHeaders())
    append(this, args[0])
    return (original.end as (...args: unknown[]) => ServerResponse).apply(this, args)
  } as typeof proto.end
  return {
    responses,
    stop() {
      Object.assign(proto, original)
    },
  }
}

const ISSUED = new Set([
  'client_secret',
  'registration_access_token',
  'access_token',
  'refresh_token',
  'id_token',
  'code',
])

function collectIssued(value: unknown, into: Set<string>, depth = 0): void {
  if (depth > 20 || typeof value !== 'object' || value === null) return
  for (const [key, item] of Object.entries(value)) {
    if (ISSUED.has(key) && typeof item === 'string' && item.length >= 8) into.add(item)
    else collectIssued(item, into, depth + 1)
  }
}

/** The secrets in recorded responses: cookie values, interaction handles, issued credentials. */
export function secretsIn(responses: RecordedResponse[]) {
  const cookies = new Set<string>()
  const handles = new Set<string>()
  const issued = new Set<string>()
  for (const { headers, body } of responses) {
    const setCookie = headers['set-cookie']
    for (const line of Array.isArray(setCookie) ? setCookie : setCookie ? [String(setCookie)] : []) {
      const value = /^[^=]+=([^;]*)/.exec(String(line))?.[1]?.trim()
      if (value) cookies.add(value)
    }
    const location = headers['location']
    if (typeof location === 'string') {
      const url = new URL(location, 'https://x.invalid')
      const params = new URLSearchParams(`${url.search.slice(1)}&${url.hash.slice(1)}`)
      for (const name of ISSUED) {
        const value = params.get(name)
        if (value && value.length >= 8) issued.add(value)
      }
    }
    for (const match of body.matchAll(/name="interaction" value="([^"]+)"/g)) handles.add(match[1]!)
    if (body.startsWith('{')) {
      try {
        collectIssued(JSON.parse(body), issued)
      } catch {
        // Not JSON.
      }
    }
  }
  return { cookies: [...cookies], handles: [...handles], issued: [...issued] }
}
