/** Bounded request bodies and their parsers (form, JSON). */
import type { IncomingMessage } from 'node:http'
import { OAuthHttpError } from './errors.ts'

/** Reads the whole body, refusing more than `limit` bytes with 413. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new OAuthHttpError(413, 'invalid_request', `request body larger than ${limit} bytes`, {
      connection: 'close',
    })
  const declared = Number(req.headers['content-length'])
  if (Number.isFinite(declared) && declared > limit) {
    req.resume()
    return Promise.reject(tooLarge())
  }
  // Plain events rather than async iteration: this is on every request's hot path.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        cleanup()
        req.resume()
        reject(tooLarge())
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      cleanup()
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))
    }
    const onError = (error: Error) => {
      cleanup()
      reject(
        new OAuthHttpError(
          400,
          'invalid_request',
          `the request body could not be read (${error.message})`,
        ),
      )
    }
    const cleanup = () => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
  })
}

/** The media type of a request, lower-case, without parameters. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
}

/** Form parameters; a repeated parameter is a malformed request (RFC 6749 §3.1). */
export interface Params {
  get(name: string): string | undefined
  has(name: string): boolean
  /** Names that occur more than once. */
  duplicates: string[]
  names: string[]
}

/** Parses URLSearchParams, treating empty values as absent (RFC 6749 §3.1). */
export function toParams(search: URLSearchParams): Params {
  const values = new Map<string, string>()
  const duplicates: string[] = []
  for (const [name, value] of search) {
    if (value === '') continue
    if (values.has(name)) duplicates.push(name)
    else values.set(name, value)
  }
  return {
    get: (name) => values.get(name),
    has: (name) => values.has(name),
    duplicates: [...new Set(duplicates)],
    names: [...values.keys()],
  }
}

/** A form-encoded body (`application/x-www-form-urlencoded`), else 400 invalid_request. */
export async function readForm(req: IncomingMessage, limit: number): Promise<Params> {
  if (mediaType(req) !== 'application/x-www-form-urlencoded') {
    req.resume()
    throw new OAuthHttpError(
      400,
      'invalid_request',
      'Content-Type must be application/x-www-form-urlencoded',
    )
  }
  const body = await readBody(req, limit)
  return toParams(new URLSearchParams(body.toString('utf8')))
}
