/**
 * A client's JWK Set: an object with a `keys` array of public, asymmetric JWKs.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 * @see https://www.rfc-editor.org/rfc/rfc7517#section-5
 */
import type { ServerContext } from '../context.ts'
import { invalidMetadata } from './metadata-error.ts'

const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']

export function checkClientJwks(ctx: ServerContext, jwks: Record<string, unknown>): void {
  const keys = jwks.keys
  if (!Array.isArray(keys)) {
    if (ctx.faults.has('jwks-malformed-accepted')) return
    throw invalidMetadata('jwks', 'must be a JWK Set with a "keys" array')
  }
  for (const [index, key] of keys.entries()) {
    if (typeof key !== 'object' || key === null || Array.isArray(key)) {
      throw invalidMetadata('jwks', `keys[${index}] must be a JWK object`)
    }
    const jwk = key as Record<string, unknown>
    if (typeof jwk.kty !== 'string') {
      // The fault: code that reads the key type before checking it is there.
      if (ctx.faults.has('jwks-no-kty-crash')) throw new TypeError(`cannot read kty of keys[${index}]`)
      throw invalidMetadata('jwks', `keys[${index}] has no kty`)
    }
    if (ctx.faults.has('jwks-private-accepted')) continue
    if (jwk.kty === 'oct') throw invalidMetadata('jwks', `keys[${index}] is a symmetric key`)
    const leaked = privateMembers.find((m) => m in jwk)
    if (leaked)
      throw invalidMetadata('jwks', `keys[${index}] contains the private member "${leaked}"`)
  }
}
