/**
 * The RFC 8707 `resource` parameter on authorization and token requests: one absolute URI the
 * server serves, else `invalid_target` (RFC 8707 §2). A repeated `resource` is refused too: this
 * server mints a token for one MCP server at a time (MCP 2025-06-18 §2.5.1 binds the audience to
 * the one MCP server the client talks to).
 */
import type { ServerContext } from '../context.ts'
import type { Params } from '../http/body.ts'
import { mcpResources } from './resources.ts'

export type ResourceCheck =
  | { ok: true; resource: string | undefined }
  | { ok: false; description: string }

/** Validates `resource`; `undefined` when none was sent. Fault `resource-ignored` accepts anything. */
export function checkResource(ctx: ServerContext, params: Params): ResourceCheck {
  if (ctx.faults.has('resource-ignored')) return { ok: true, resource: undefined }
  const value = params.get('resource')
  if (value === undefined) return { ok: true, resource: undefined }
  if (params.duplicates.includes('resource'))
    return { ok: false, description: 'only one resource per request is supported' }
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return { ok: false, description: 'resource must be an absolute URI' }
  }
  if (url.hash !== '') return { ok: false, description: 'resource must not carry a fragment' }
  const served = Object.values(mcpResources(ctx))
  if (!served.includes(value)) return { ok: false, description: 'resource is not served here' }
  return { ok: true, resource: value }
}

/** Parameters other than `resource` that occur more than once (a malformed request). */
export function otherDuplicates(params: Params): string[] {
  return params.duplicates.filter((name) => name !== 'resource')
}

/** The error of a refused `resource`: `invalid_target` (RFC 8707 §2); the generic one under a fault. */
export function resourceErrorCode(ctx: ServerContext): 'invalid_target' | 'invalid_request' {
  return ctx.faults.has('resource-refused-invalid-request') ? 'invalid_request' : 'invalid_target'
}
