/**
 * Known client metadata members and their JSON types (RFC 7591 §2, OIDC DCR §2, Curity's
 * extensions). Unknown members are ignored and not echoed (RFC 7591 §2: "MUST ignore").
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 * @see https://openid.net/specs/openid-connect-registration-1_0.html#ClientMetadata
 */
import { invalidMetadata, invalidRedirect } from './metadata-error.ts'
import type { MetadataError } from './metadata-error.ts'

export type MemberType = 'string' | 'string[]' | 'integer' | 'boolean' | 'object'

export const memberTypes: Record<string, MemberType> = {
  redirect_uris: 'string[]',
  token_endpoint_auth_method: 'string',
  grant_types: 'string[]',
  response_types: 'string[]',
  client_name: 'string',
  client_uri: 'string',
  logo_uri: 'string',
  scope: 'string',
  contacts: 'string[]',
  tos_uri: 'string',
  policy_uri: 'string',
  jwks_uri: 'string',
  jwks: 'object',
  software_id: 'string',
  software_version: 'string',
  software_statement: 'string',
  application_type: 'string',
  sector_identifier_uri: 'string',
  subject_type: 'string',
  id_token_signed_response_alg: 'string',
  id_token_encrypted_response_alg: 'string',
  id_token_encrypted_response_enc: 'string',
  userinfo_signed_response_alg: 'string',
  userinfo_encrypted_response_alg: 'string',
  userinfo_encrypted_response_enc: 'string',
  request_object_signing_alg: 'string',
  request_object_encryption_alg: 'string',
  request_object_encryption_enc: 'string',
  token_endpoint_auth_signing_alg: 'string',
  default_max_age: 'integer',
  require_auth_time: 'boolean',
  default_acr_values: 'string[]',
  initiate_login_uri: 'string',
  request_uris: 'string[]',
  post_logout_redirect_uris: 'string[]',
  // Curity extensions
  access_token_ttl: 'integer',
  refresh_token_ttl: 'integer',
  require_proof_key: 'boolean',
}

/** Members the server controls; a request carrying them is not adopted (RFC 7591 §3.1). */
export const serverManagedMembers = new Set([
  'client_id',
  'client_secret',
  'client_id_issued_at',
  'client_secret_expires_at',
  'registration_access_token',
  'registration_client_uri',
  'registration_access_token_expires_in',
  'token_endpoint_auth_methods',
])

/** Human-readable members that may carry a BCP 47 language tag (`client_name#ja-Jpan-JP`). */
export const taggableMembers = new Set([
  'client_name',
  'client_uri',
  'logo_uri',
  'policy_uri',
  'tos_uri',
])

const languageTag = /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/

/** Splits `client_name#ja` into its base member and tag, when the name is a valid tagged member. */
export function splitTagged(name: string): { base: string; tag: string } | undefined {
  const hash = name.indexOf('#')
  if (hash < 0) return undefined
  const base = name.slice(0, hash)
  const tag = name.slice(hash + 1)
  return taggableMembers.has(base) && languageTag.test(tag) ? { base, tag } : undefined
}

function typeOk(type: MemberType, value: unknown): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string'
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string')
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
  }
}

const typeNames: Record<MemberType, string> = {
  string: 'a string',
  'string[]': 'an array of strings',
  integer: 'an integer',
  boolean: 'a boolean',
  object: 'a JSON object',
}

/** The type error for one member, if its value has the wrong JSON type. */
export function typeError(name: string, value: unknown): MetadataError | undefined {
  const tagged = splitTagged(name)
  const type = memberTypes[tagged ? tagged.base : name]
  if (!type || typeOk(type, value)) return undefined
  const message = `must be ${typeNames[type]}`
  return name === 'redirect_uris'
    ? invalidRedirect(`redirect_uris ${message}`)
    : invalidMetadata(name, message)
}

/** Token endpoint authentication methods the server recognises (not all are allowed). */
export const knownAuthMethods = new Set([
  'client_secret_basic',
  'client_secret_post',
  'client_secret_jwt',
  'private_key_jwt',
  'none',
  'tls_client_auth',
  'self_signed_tls_client_auth',
])
