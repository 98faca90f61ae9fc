/**
 * The registered scope: limited to the allowed scopes (Curity `non-templatized/scopes`); a
 * privileged scope is always refused; other scopes are refused or removed by policy; an omitted
 * scope gets the default.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
import type { ServerContext } from '../context.ts'
import { invalidMetadata } from './metadata-error.ts'

/** `granted` is stored; `echoed` (faults only) is what the response claims instead. */
export function resolveScope(
  ctx: ServerContext,
  requestedScope: string | undefined,
): { granted: string; echoed?: string } {
  const f = ctx.faults
  const policy = ctx.config.registration
  let scope = requestedScope
  if (scope === undefined) scope = policy.defaultScope ?? policy.allowedScopes.join(' ')
  const requested = [...new Set(scope.split(' ').filter(Boolean))]
  const granted: string[] = []
  for (const s of requested) {
    if (policy.privilegedScopes.includes(s) && !f.has('privileged-scope-accepted')) {
      throw invalidMetadata('scope', `scope "${s}" is privileged and cannot be registered`)
    }
    if (policy.allowedScopes.includes(s) || policy.privilegedScopes.includes(s)) {
      granted.push(s)
      continue
    }
    if (f.has('scope-silently-dropped')) continue
    if (policy.scopePolicy === 'reject')
      throw invalidMetadata('scope', `scope "${s}" is not allowed`)
  }
  if (f.has('scope-silently-dropped'))
    return { granted: granted.join(' '), echoed: requested.join(' ') }
  return { granted: granted.join(' ') }
}
