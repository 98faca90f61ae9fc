/**
 * Random request values (state, nonce) and PKCE pairs.
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.2
 */
import { createHash, randomBytes } from 'node:crypto'

/** 32 random bytes, base64url (43 characters): a `state`, `nonce` or PKCE verifier. */
export function randomValue(): string {
  return randomBytes(32).toString('base64url')
}

export type PkceMethod = 'S256' | 'plain' | (string & {})

/** The challenge for a verifier: BASE64URL(SHA256(verifier)) for S256, the verifier for plain. */
export function codeChallenge(verifier: string, method: PkceMethod): string {
  if (method === 'plain') return verifier
  return createHash('sha256').update(verifier, 'ascii').digest('base64url')
}
