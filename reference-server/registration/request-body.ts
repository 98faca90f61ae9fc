/**
 * The registration request body: `application/json`, one JSON object.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.1
 */
import type { IncomingMessage } from 'node:http'
import type { ServerContext } from '../context.ts'
import { mediaType } from '../http/body.ts'
import { invalidMetadata, MetadataError } from './metadata-error.ts'

/** Thrown under the `crash-on-bad-json` fault: the router answers 500 with an HTML page. */
export class JsonCrash extends Error {}

export function parseMetadataBody(
  ctx: ServerContext,
  req: IncomingMessage,
  body: Buffer,
): Record<string, unknown> {
  const type = mediaType(req)
  if (ctx.faults.has('json-body-refused') && type !== 'application/x-www-form-urlencoded') {
    throw new MetadataError('invalid_request', undefined, 'expected a form-encoded body')
  }
  if (
    type !== 'application/json' &&
    !type.endsWith('+json') &&
    !ctx.faults.has('content-type-ignored')
  ) {
    throw new MetadataError(
      'invalid_client_metadata',
      undefined,
      `Content-Type must be application/json (got ${type || 'none'})`,
    )
  }
  let value: unknown
  try {
    value = JSON.parse(body.toString('utf8'))
  } catch {
    if (ctx.faults.has('crash-on-bad-json')) throw new JsonCrash('Unexpected token in JSON')
    throw new MetadataError(
      'invalid_client_metadata',
      undefined,
      'the request body is not valid JSON',
    )
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidMetadata('body', 'the request body must be a JSON object')
  }
  return value as Record<string, unknown>
}
