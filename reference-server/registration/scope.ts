/**
 * The registered scope: limited to the allowed scopes (Curity `non-templatized/scopes`); a
 * privileged scope is always refused; other scopes are refused or removed by policy; an omitted
 * scope gets the default.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
import type { ServerContext } from '../context.ts'
import { invalidMetadata } from './metadata-error.ts'

/**
 * `granted` is stored (and enforced); the response shows `echoed` instead when it is given: under
 * `unknown-scope-granted` the undefined scopes are stored and granted but left out of the echo.
 */
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
  const hidden: string[] = []
  for (const s of requested) {
    if (policy.privilegedScopes.includes(s) && !f.has('privileged-scope-accepted')) {
      throw invalidMetadata('scope', `scope "${s}" is privileged and cannot be registered`)
    }
    if (policy.allowedScopes.includes(s) || policy.privilegedScopes.includes(s)) {
      granted.push(s)
      continue
    }
    // Free-form scopes (policy `accept`) are registered as sent; tokens never grant them
    // (knownScopes at the token and authorization endpoints).
    if (policy.scopePolicy === 'accept' || f.has('unknown-scope-granted')) {
      granted.push(s)
      if (f.has('unknown-scope-granted')) hidden.push(s)
      continue
    }
    if (policy.scopePolicy === 'reject')
      throw invalidMetadata('scope', `scope "${s}" is not allowed`)
  }
  // `scope-widened`: an allowed scope the client did not ask for is added to a requested scope.
  if (f.has('scope-widened') && requestedScope !== undefined) {
    const extra = policy.allowedScopes.find((s) => !granted.includes(s))
    if (extra !== undefined) granted.push(extra)
  }
  for (const s of policy.addedScopes ?? []) if (!granted.includes(s)) granted.push(s)
  // `default-scope-unusable`: the default shown also names a scope the client is never granted.
  if (f.has('default-scope-unusable') && requestedScope === undefined) {
    const shown = [...granted, ...policy.privilegedScopes.slice(0, 1)]
    return { granted: granted.join(' '), echoed: shown.join(' ') }
  }
  if (hidden.length === 0) return { granted: granted.join(' ') }
  const echoed = granted.filter((s) => !hidden.includes(s)).join(' ')
  return { granted: granted.join(' '), echoed }
}

/**
 * The scopes of `wanted` the server can grant at all: under the free-form policy (`accept`) a
 * registered scope the server does not define is never granted (RFC 6749 §3.3 lets the server
 * grant less than asked; the token response then names the granted scope).
 */
export function knownScopes(ctx: ServerContext, wanted: string[]): string[] {
  const config = ctx.config
  const policy = config.registration
  if (policy.scopePolicy !== 'accept' || ctx.faults.has('unknown-scope-granted')) return wanted
  // The scopes the server defines: those dynamic clients may get, and those of configured clients.
  const defined = new Set([...policy.allowedScopes, ...policy.privilegedScopes, policy.iatScope])
  for (const c of [config.registrationClient, ...config.managementClients, ...config.clients, ...config.templates])
    for (const s of c.scope.split(' ')) if (s) defined.add(s)
  return wanted.filter((s) => defined.has(s))
}
