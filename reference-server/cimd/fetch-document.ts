/**
 * One HTTPS GET of a Client ID Metadata Document to an already checked address
 * (address-guard.ts): `Accept: application/json`, no redirect followed (§5), a deadline for the
 * whole exchange, and at most `maxBytes` read (§8.7). The certificate is verified against the
 * URL's host name, so connecting by address loses nothing.
 * @see draft-ietf-oauth-client-id-metadata-document-02 §5, §8.7
 */
import https from 'node:https'
import type { IncomingHttpHeaders } from 'node:http'
import { isIP } from 'node:net'
import { createSecureContext, rootCertificates } from 'node:tls'
import type { SecureContext } from 'node:tls'
import type { CheckedAddress } from './address-guard.ts'
import { bareHost } from './address-guard.ts'

export interface FetchLimits {
  timeoutMs: number
  /** Bytes read at most; `undefined` reads everything (the `cimd-oversize-accepted` fault). */
  maxBytes: number | undefined
  /** An extra CA (PEM) to trust besides the system roots. */
  ca?: string
  /** What the reasons call the document (default: the client metadata document). */
  label?: string
}

export type FetchResult =
  | { ok: true; status: number; headers: IncomingHttpHeaders; body: string }
  | { ok: false; reason: string }

/** One TLS context per extra CA: building it (all system roots) costs far more than a fetch. */
const contexts = new Map<string, SecureContext>()

function contextFor(ca: string): SecureContext {
  let context = contexts.get(ca)
  if (!context) {
    context = createSecureContext({ ca: [...rootCertificates, ca] })
    contexts.set(ca, context)
  }
  return context
}

function requestOptions(
  url: URL,
  target: CheckedAddress,
  limits: FetchLimits,
): https.RequestOptions {
  const host = bareHost(url)
  return {
    method: 'GET',
    host: target.address,
    family: target.family,
    port: url.port === '' ? 443 : Number(url.port),
    path: `${url.pathname}${url.search}`,
    headers: { host: url.host, accept: 'application/json' },
    // SNI and certificate identity use the name; an IP-literal host is matched by its IP SAN.
    ...(isIP(host) === 0 ? { servername: host } : {}),
    ...(limits.ca ? { secureContext: contextFor(limits.ca) } : {}),
    agent: false,
    signal: AbortSignal.timeout(limits.timeoutMs),
  }
}

const labelOf = (limits: FetchLimits): string => limits.label ?? 'the client metadata document'

/** GET the document; any transport problem, a non-200 status or a too long body is an error. */
export function fetchDocument(
  url: URL,
  target: CheckedAddress,
  limits: FetchLimits,
): Promise<FetchResult> {
  return new Promise((resolve) => {
    const request = https.request(requestOptions(url, target, limits), (response) => {
      const status = response.statusCode ?? 0
      if (status !== 200) {
        response.destroy()
        const redirect = status >= 300 && status < 400
        const what = redirect ? 'a redirect (not followed)' : `status ${status}`
        return resolve({ ok: false, reason: `${labelOf(limits)} answered ${what}` })
      }
      const declared = Number(response.headers['content-length'])
      const max = limits.maxBytes
      const tooLong = () =>
        resolve({ ok: false, reason: `${labelOf(limits)} exceeds ${max} bytes` })
      if (max !== undefined && declared > max) {
        response.destroy()
        return tooLong()
      }
      const chunks: Buffer[] = []
      let size = 0
      response.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (max !== undefined && size > max) {
          response.destroy()
          return tooLong()
        }
        chunks.push(chunk)
      })
      response.on('end', () =>
        resolve({
          ok: true,
          status,
          headers: response.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      )
      response.on('error', (error) => resolve({ ok: false, reason: failure(error) }))
    })
    request.on('error', (error) => resolve({ ok: false, reason: failure(error) }))
    request.end()
  })
}

function failure(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code
  if (error.name === 'AbortError' || error.name === 'TimeoutError' || code === 'ABORT_ERR')
    return 'fetching the client metadata document timed out'
  return `fetching the client metadata document failed (${code ?? error.message})`
}
