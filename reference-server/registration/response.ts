/**
 * The client information response: every registered member, including the values the server
 * provisioned, the credentials and the RFC 7592 management pair.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-3
 */
import type { ServerContext } from '../context.ts'
import type { ClientRecord } from '../store.ts'
import { authMethodOf } from '../client.ts'

/** Methods that use a client secret (a secret is issued for these only). */
export const secretMethods = new Set([
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
])

export function registrationClientUri(ctx: ServerContext, clientId: string): string {
  const base = ctx.endpoints.registration_endpoint
  if (ctx.faults.has('rcu-wrong-client')) return `${base}/${encodeURIComponent(clientId)}/details`
  const uri = `${base}/${encodeURIComponent(clientId)}`
  // The fault: a path-only reference; the endpoint still answers at the URL it resolves to.
  if (ctx.faults.has('relative-registration-client-uri')) return new URL(uri).pathname
  return uri
}

export function clientInformation(
  ctx: ServerContext,
  client: ClientRecord,
  registrationAccessToken: string | undefined,
  echoOverrides: Record<string, unknown> = {},
): Record<string, unknown> {
  const f = ctx.faults
  const numericId = f.has('client-id-numeric') && /^\d+$/.test(client.client_id)
  const body: Record<string, unknown> = {
    client_id: numericId ? Number(client.client_id) : client.client_id,
  }
  if (client.client_secret !== undefined) body.client_secret = client.client_secret
  if (f.has('no-echo')) return body
  body.client_id_issued_at = f.has('secret-expiry-ms')
    ? client.client_id_issued_at * 1000
    : client.client_id_issued_at
  if (client.client_secret !== undefined && !f.has('no-secret-expiry')) {
    const expiresAt = client.client_secret_expires_at ?? 0
    body.client_secret_expires_at = f.has('secret-expiry-string')
      ? String(expiresAt)
      : f.has('secret-expiry-ms')
        ? expiresAt * 1000
        : expiresAt
  }
  Object.assign(body, client.metadata, echoOverrides)
  if (ctx.config.registration.omitDefaultMembers) {
    // Conformant: RFC 7591 §2 defines what the absence of these members means.
    const same = (value: unknown, expected: string[]) =>
      Array.isArray(value) && value.length === expected.length && value.every((v, i) => v === expected[i])
    if (same(body.grant_types, ['authorization_code'])) delete body.grant_types
    if (same(body.response_types, ['code'])) delete body.response_types
    if (body.token_endpoint_auth_method === 'client_secret_basic') delete body.token_endpoint_auth_method
  }
  if (f.has('scope-not-echoed')) delete body.scope
  // A member an override leaves undefined is left out of the response (faults only).
  if (!('token_endpoint_auth_method' in echoOverrides && body.token_endpoint_auth_method === undefined))
    body.token_endpoint_auth_methods = [authMethodOf(client)]
  if (registrationAccessToken !== undefined) {
    body.registration_access_token = registrationAccessToken
    body.registration_client_uri = registrationClientUri(ctx, client.client_id)
    body.registration_access_token_expires_in = ctx.config.registration.registrationAccessTokenTtl
  }
  return body
}
