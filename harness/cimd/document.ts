/**
 * What the `cimd-document` fixture publishes, from its `with` input: a Client ID Metadata
 * Document (draft-ietf-oauth-client-id-metadata-document-02 §4) whose `client_id` is its own URL
 * unless the scenario says otherwise, or a broken answer (another status, a body that is not
 * JSON, a redirect, a reset connection, a body past a size) for the negative cases.
 */
import { HarnessError } from '../errors.ts'
import type { PublishedResponse } from './publisher.ts'

/** The `with` members the fixture reads (shown by `dcr-conformance fixtures`, linted by lint-cimd.ts). */
export const CIMD_DOCUMENT_INPUTS: Record<string, string> = {
  document: 'client metadata members; client_id defaults to the document URL',
  url: 'publish at this earlier URL instead of a new one (to change a document)',
  listener: '`untrusted`: a new 127.0.0.1 listener the target was not told to trust (SSRF)',
  status: 'HTTP status (default 200)',
  content_type: 'Content-Type (default application/json)',
  cache_control: 'Cache-Control header (default none)',
  body: 'raw body text instead of the JSON document',
  pad_to: 'pad the JSON document with an unknown member to at least this many bytes',
  redirect_to: 'answer 302 with this Location instead of the document',
  reset: 'true: close the connection without an answer',
}

/** The member that pads a document: unknown members are ignored (RFC 7591 §2). */
export const PADDING_MEMBER = 'dcr_conformance_padding'

function stringInput(input: Record<string, unknown>, name: string): string | undefined {
  const value = input[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string')
    throw new HarnessError('E_FIXTURE', `cimd-document: ${name} must be a string`)
  return value
}

/** The document as served: its members with `client_id` defaulted, padded when asked. */
export function documentBody(url: string, input: Record<string, unknown>): string {
  const given = input['document'] ?? {}
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new HarnessError(
      'E_FIXTURE',
      'cimd-document: document must be an object of client metadata',
    )
  }
  const document: Record<string, unknown> = { client_id: url, ...given }
  const text = JSON.stringify(document)
  const padTo = input['pad_to']
  if (padTo === undefined) return text
  if (typeof padTo !== 'number' || !Number.isInteger(padTo) || padTo < 1) {
    throw new HarnessError('E_FIXTURE', 'cimd-document: pad_to must be a positive integer')
  }
  const overhead = JSON.stringify({ ...document, [PADDING_MEMBER]: '' }).length
  return JSON.stringify({
    ...document,
    [PADDING_MEMBER]: 'x'.repeat(Math.max(0, padTo - overhead)),
  })
}

/** The answer the publisher gives at `url` for this input. */
export function publishedResponse(url: string, input: Record<string, unknown>): PublishedResponse {
  if (input['reset'] === true) return { status: 0, headers: {}, body: '', reset: true }
  const redirectTo = stringInput(input, 'redirect_to')
  if (redirectTo !== undefined) return { status: 302, headers: { location: redirectTo }, body: '' }
  const status = input['status'] ?? 200
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 200 || status > 599) {
    throw new HarnessError('E_FIXTURE', 'cimd-document: status must be an integer from 200 to 599')
  }
  const body = stringInput(input, 'body') ?? documentBody(url, input)
  const cacheControl = stringInput(input, 'cache_control')
  const headers: Record<string, string> = {
    'content-type': stringInput(input, 'content_type') ?? 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    ...(cacheControl !== undefined ? { 'cache-control': cacheControl } : {}),
  }
  return { status, headers, body }
}
