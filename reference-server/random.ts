import { randomBytes } from 'node:crypto'

/** A random URL-safe string carrying `bytes` bytes of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}
