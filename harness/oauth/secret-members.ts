/**
 * OAuth vocabulary shared by redaction (harness/redact.ts) and the credential origin policy
 * (harness/http/origin-policy.ts): the parameter and member names whose values are secrets.
 */

/**
 * Names of JSON members, form parameters and query/fragment parameters whose values are secrets.
 * Matched case-insensitively and exactly (`token_endpoint_auth_method` is not `token`); names
 * ending in `_secret`, `_password` or `_token` are credentials too (isCredentialName in harness/redact.ts).
 * `software_statement` is deliberately absent: it is a signed, public statement.
 * RFC 7591 §3.1, RFC 7592 §3, RFC 6749 §4.1.2, RFC 7636 §4.5, RFC 7523 §2.2.
 */
export const SECRET_MEMBER_NAMES: readonly string[] = Object.freeze([
  'initial_access_token',
  'access_token',
  'client_secret',
  'registration_access_token',
  'code',
  'code_verifier',
  'refresh_token',
  'id_token',
  'id_token_hint',
  'logout_token',
  'password',
  'client_assertion',
  'assertion',
  'token',
  'subject_token',
  'actor_token',
  'device_code',
])
