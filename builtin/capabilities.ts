/**
 * What the reference server supports, in the suite's capability names (suites/capabilities.yaml):
 * the adapter maps the server's policy to them, so the server itself knows nothing of the suite.
 */
import type { ReferenceConfig } from '../reference-server/index.ts'
import { CIMD_CAPABILITY, PUBLISHER_CAPABILITY } from '../harness/cimd/capability.ts'

/**
 * Capability flags under a given policy; `tls` adds `plain_http_probe` (a cleartext request to the
 * TLS port is refused, so the probe can be run safely).
 */
export function capabilitiesFor(config: ReferenceConfig, tls = false): string[] {
  const policy = config.registration
  const flags = [
    'oidc',
    'rfc7592',
    'delete',
    'software_statement',
    'public_clients',
    'secret_post',
    'native_apps',
    'refresh_tokens',
    'pairwise',
    'alt_id_token_alg',
    'userinfo',
    'introspection',
    'iss_param',
    'user_login',
    'i18n_metadata',
    'curity',
    'rfc8414_metadata',
    'cors',
    // Two MCP servers beside the authorization server (reference-server/mcp/).
    'mcp',
    'mcp_second_resource',
    // One audience per token: several `resource` parameters get invalid_target (RFC 8707 §3).
    'single_resource_tokens',
  ]
  if (config.managementClients.length > 0) flags.push('curity_dcrm')
  if (policy.privilegedScopes.length > 0) flags.push('privileged_scope')
  if (policy.allowedGrantTypes.includes('client_credentials'))
    flags.push('client_credentials_clients')
  if (policy.authentication === 'none') flags.push('open_registration')
  else flags.push('iat_required', 'iat_one_time')
  if (policy.authentication !== 'none' && policy.consumeIatOnFailure)
    flags.push('iat_consumed_on_failure')
  if (policy.mode !== 'templatized') flags.push('curity_nontemplatized')
  if (policy.mode !== 'non-templatized' && config.templates.length > 0)
    flags.push('curity_templatized')
  // `implicit` is never claimed: the authorization endpoint answers only response_type=code.
  if (!policy.allowedAuthMethods.includes('none')) flags.splice(flags.indexOf('public_clients'), 1)
  if (config.pkce.requireForAllClients) flags.push('pkce_required')
  // Ignoring id_token_signed_response_alg, ID tokens are RS256 only (discovery says so too).
  if (policy.ignoredMembers?.includes('id_token_signed_response_alg'))
    flags.splice(flags.indexOf('alt_id_token_alg'), 1)
  // A plain OAuth 2.0 server (policy tokens.secretMethodsInterchangeable) is no OpenID Provider.
  if (config.tokens.secretMethodsInterchangeable) flags.splice(flags.indexOf('oidc'), 1)
  if (tls) flags.push('plain_http_probe')
  // Declared, not only advertised: under `cimd-not-advertised` the scenarios still run (reference-server/cimd/).
  // Loopback is trusted per origin (cimd.trusted_origins), and no-store is never cached
  // (reference-server/cimd/address-guard.ts, cache-lifetime.ts).
  if (config.cimd.enabled) flags.push(CIMD_CAPABILITY, 'cimd_loopback_guard', 'cimd_no_cache_floor')
  // The publisher runs for the built-in target whatever cimd.enabled says, and the server trusts
  // it (builtin/cimd-publisher.ts): it serves other documents too (a sector identifier).
  flags.push(PUBLISHER_CAPABILITY)
  return flags
}
