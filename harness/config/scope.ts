/**
 * The scope the harness's test clients register and ask for (`target.scope` in scenarios), when
 * targets.yaml does not set one. A target without a scope the harness can name leaves
 * `target.scope` unset: requests then go without one (scenario/template.ts renders it as absent
 * in a step's input and its `when`, as RFC 6749 §3.3 lets a client omit scope), while an
 * expectation naming it errors with E_TEMPLATE, so no check silently compares with nothing.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 */
/**
 * `scope` from targets.yaml; else `openid` when the target declares capability `oidc`; else the
 * first value of the discovery document's `scopes_supported` other than `openid` (a plain OAuth
 * server's own scope); else undefined.
 */
export function defaultScope(
  config: { scope?: string; capabilities?: readonly string[] },
  metadata: Record<string, unknown>,
): string | undefined {
  if (config.scope !== undefined) return config.scope
  if (config.capabilities?.includes('oidc')) return 'openid'
  const supported = metadata['scopes_supported']
  if (!Array.isArray(supported)) return undefined
  return supported.find(
    (value): value is string => typeof value === 'string' && value !== '' && value !== 'openid',
  )
}
