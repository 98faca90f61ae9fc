/**
 * The token endpoint auth method the harness's confidential test clients register when a
 * scenario is not about the method (`target.auth_method`): a secret-based method the target
 * advertises, so a server that reads only one of them is not failed on unrelated rules.
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2 (omitted: client_secret_basic)
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
const SECRET_METHODS = ['client_secret_basic', 'client_secret_post'] as const

/**
 * `client_secret_basic` when advertised or when the metadata says nothing (RFC 8414's default);
 * else `client_secret_post` when advertised; else `client_secret_basic`, and the scenarios about
 * secrets find out.
 */
export function defaultAuthMethod(metadata: Record<string, unknown>): string {
  const supported = metadata['token_endpoint_auth_methods_supported']
  if (!Array.isArray(supported)) return 'client_secret_basic'
  return SECRET_METHODS.find((method) => supported.includes(method)) ?? 'client_secret_basic'
}
