/**
 * From a request body to validated metadata: templatized registration (`software_id` names a
 * template client), software statement claims taking precedence, then validation.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.1.1
 */
import type { ServerContext } from '../context.ts'
import { invalidMetadata } from './metadata-error.ts'
import { verifySoftwareStatement } from './software-statement.ts'
import { validateMetadata } from './validate.ts'
import type { ValidatedMetadata } from './validate.ts'

/** The template a request names, if templatized registration applies. */
function templateFor(
  ctx: ServerContext,
  body: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const mode = ctx.config.registration.mode
  if (mode === 'non-templatized') return undefined
  const softwareId = body.software_id
  const template = ctx.config.templates.find((t) => t.client_id === softwareId)
  if (template) {
    const { client_id: _id, client_secret: _secret, ...rest } = template
    return { ...rest, software_id: template.client_id }
  }
  // The fault: a templatized-style request (only software_id/version) naming an unknown template
  // falls back to the first template instead of being refused.
  const templatizedShape = Object.keys(body).every(
    (k) => k === 'software_id' || k === 'software_version',
  )
  const fallback = ctx.config.templates[0]
  if (
    ctx.faults.has('template-unknown-accepted') &&
    typeof softwareId === 'string' &&
    templatizedShape &&
    fallback
  ) {
    const { client_id: _id, client_secret: _secret, ...rest } = fallback
    return { ...rest, software_id: softwareId }
  }
  if (mode === 'templatized' && !ctx.faults.has('template-unknown-accepted')) {
    throw invalidMetadata(
      'software_id',
      typeof softwareId === 'string'
        ? `unknown template client "${softwareId}"`
        : 'a template software_id is required',
    )
  }
  return undefined
}

/** Merges a verified statement's claims over the plain members (statement wins). */
async function withStatement(
  ctx: ServerContext,
  body: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const statement = body.software_statement
  if (statement === undefined) return body
  if (typeof statement !== 'string')
    throw invalidMetadata('software_statement', 'must be a string (a signed JWT)')
  const claims = await verifySoftwareStatement(ctx, statement)
  const merged = ctx.faults.has('ssa-claims-not-precedent')
    ? { ...claims, ...body }
    : { ...body, ...claims }
  if (ctx.faults.has('ssa-not-echoed')) delete merged.software_statement
  else merged.software_statement = statement
  return merged
}

export async function prepareRegistration(
  ctx: ServerContext,
  body: Record<string, unknown>,
): Promise<ValidatedMetadata> {
  const template = templateFor(ctx, body)
  if (template) return validateMetadata(ctx, template)
  return validateMetadata(ctx, await withStatement(ctx, body))
}

export async function prepareUpdate(
  ctx: ServerContext,
  body: Record<string, unknown>,
): Promise<ValidatedMetadata> {
  return validateMetadata(ctx, await withStatement(ctx, body))
}
