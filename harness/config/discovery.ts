/**
 * Endpoint discovery: the OpenID Provider configuration and the RFC 8414 authorization server
 * metadata (path-insertion form). OpenID is preferred when both answer; every endpoint can be
 * overridden in targets.yaml.
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.1
 */
import { HarnessError } from '../errors.ts'
import type { HttpClient } from '../http/types.ts'
import type { ResolvedTarget, TargetConfig } from '../model/target.ts'
import { defaultScope } from './scope.ts'
import { isTlsTrouble, TLS_HINT } from '../hints.ts'

/** `<issuer>/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4). */
export function openIdConfigurationUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`
}

/**
 * RFC 8414 §3.1: the well-known segment goes between the host and the issuer's path.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.1
 */
export function oauthMetadataUrl(issuer: string): string {
  const url = new URL(issuer)
  const path = url.pathname.replace(/\/+$/, '')
  return `${url.origin}/.well-known/oauth-authorization-server${path}`
}

/**
 * Resolves endpoints of a target and its test-client scope (see `defaultScope`). Unreachable ->
 * E_TARGET_UNREACHABLE; no metadata and no configured registration endpoint -> E_DISCOVERY.
 */
export async function discoverTarget(
  config: TargetConfig,
  http: HttpClient,
): Promise<ResolvedTarget> {
  const failures: string[] = []
  let metadata: Record<string, unknown> | undefined
  for (const url of [openIdConfigurationUrl(config.issuer), oauthMetadataUrl(config.issuer)]) {
    try {
      const { response } = await http.send({
        method: 'GET',
        url,
        headers: { accept: 'application/json' },
      })
      const body = response.body
      if (
        response.status === 200 &&
        typeof body === 'object' &&
        body !== null &&
        !Array.isArray(body)
      ) {
        metadata = body as Record<string, unknown>
        break
      }
      failures.push(
        `${url}: HTTP ${response.status}${typeof body === 'string' ? ', not JSON' : ''}`,
      )
    } catch (error) {
      if (error instanceof HarnessError && error.code === 'E_TARGET_UNREACHABLE') {
        throw new HarnessError(
          'E_TARGET_UNREACHABLE',
          `target '${config.name}' is unreachable at discovery: ${error.message}`,
        )
      }
      failures.push(error instanceof Error ? error.message : String(error))
    }
  }
  const overrides = config.endpoints ?? {}
  if (!metadata && !overrides['registration_endpoint']) {
    // A certificate problem is not fixed by endpoint overrides: say what does fix it.
    const advice = failures.some(isTlsTrouble)
      ? TLS_HINT
      : 'set endpoints.registration_endpoint and endpoints.token_endpoint in targets.yaml'
    throw new HarnessError(
      'E_DISCOVERY',
      `target '${config.name}': no discovery document at ${config.issuer} (${failures.join('; ')}); ` +
        advice,
    )
  }
  const endpoints: Record<string, string> = {}
  for (const [name, value] of Object.entries(metadata ?? {})) {
    if (typeof value === 'string' && (name.endsWith('_endpoint') || name === 'jwks_uri')) {
      endpoints[name] = value
    }
  }
  Object.assign(endpoints, overrides)
  const scope = defaultScope(config, metadata ?? {})
  return {
    ...config,
    metadata: metadata ?? {},
    endpoints,
    capabilities: [...(config.capabilities ?? [])],
    ...(scope !== undefined ? { scope } : {}),
  }
}
