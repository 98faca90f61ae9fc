/** Typed views of a client's registered metadata (stored loosely as JSON). */
import type { ClientRecord } from './store.ts'

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}

export function grantTypesOf(client: ClientRecord): string[] {
  return strings(client.metadata.grant_types)
}

export function responseTypesOf(client: ClientRecord): string[] {
  return strings(client.metadata.response_types)
}

export function redirectUrisOf(client: ClientRecord): string[] {
  return strings(client.metadata.redirect_uris)
}

export function scopesOf(client: ClientRecord): string[] {
  const scope = client.metadata.scope
  return typeof scope === 'string' ? scope.split(' ').filter(Boolean) : []
}

export function authMethodOf(client: ClientRecord): string {
  const method = client.metadata.token_endpoint_auth_method
  return typeof method === 'string' ? method : 'client_secret_basic'
}

export function numberOf(client: ClientRecord, member: string): number | undefined {
  const value = client.metadata[member]
  return typeof value === 'number' ? value : undefined
}

export function stringOf(client: ClientRecord, member: string): string | undefined {
  const value = client.metadata[member]
  return typeof value === 'string' ? value : undefined
}
