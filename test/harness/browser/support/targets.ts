/** A resolved target for the mini authorization server (tests of the login drivers). */
import type { ResolvedTarget } from '../../../../harness/model/target.ts'
import type { MiniAuthServer } from './mini-auth-server.ts'

export function miniTarget(
  server: MiniAuthServer,
  overrides: Partial<ResolvedTarget> = {},
): ResolvedTarget {
  return {
    name: 'mini',
    issuer: server.origin,
    metadata: {},
    endpoints: {
      authorization_endpoint: server.authorizationEndpoint,
      token_endpoint: server.tokenEndpoint,
    },
    capabilities: [],
    login: { username: 'alice', password: 'alice-password' },
    ...overrides,
  }
}

/** An authorization request URL for the mini server. */
export function authorizationUrl(server: MiniAuthServer, params: Record<string, string>): string {
  const url = new URL(server.authorizationEndpoint)
  for (const [name, value] of Object.entries({
    response_type: 'code',
    client_id: 'c1',
    ...params,
  })) {
    url.searchParams.set(name, value)
  }
  return url.href
}
