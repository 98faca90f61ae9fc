/**
 * Software statements: a JWS signed by a trusted key; its claims win over plain JSON members.
 * A statement that is not a JWS, unsigned, badly signed, expired or without `iss` is
 * `invalid_software_statement`; one signed by a key the server does not trust is
 * `unapproved_software_statement`.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2.3
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.1.1
 */
import { compactVerify, decodeJwt, decodeProtectedHeader, importJWK } from 'jose'
import type { JWK, JWTPayload } from 'jose'
import type { ServerContext } from '../context.ts'
import { MetadataError } from './metadata-error.ts'

const invalid = (message: string) =>
  new MetadataError('invalid_software_statement', 'software_statement', message)
const unapproved = (message: string) =>
  new MetadataError('unapproved_software_statement', 'software_statement', message)

/** Claims that describe the JWT itself, not the client (not copied into the metadata). */
const jwtClaims = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti'])

async function verifiesWith(jwt: string, jwk: JWK, alg: string): Promise<boolean> {
  try {
    await compactVerify(jwt, await importJWK(jwk, alg))
    return true
  } catch {
    return false
  }
}

/** Verifies a statement and returns its metadata claims. */
export async function verifySoftwareStatement(
  ctx: ServerContext,
  jwt: string,
): Promise<Record<string, unknown>> {
  const f = ctx.faults
  let header: ReturnType<typeof decodeProtectedHeader>
  let payload: JWTPayload
  try {
    if (jwt.split('.').length !== 3) throw new Error('not a compact JWS')
    header = decodeProtectedHeader(jwt)
    payload = decodeJwt(jwt)
  } catch {
    if (f.has('ssa-malformed-ignored')) return {}
    throw invalid('not a signed JWT (compact JWS)')
  }
  const alg = typeof header.alg === 'string' ? header.alg : ''
  if (alg === 'none' || alg === '') {
    if (!f.has('ssa-alg-none-accepted'))
      throw invalid('unsecured statements (alg none) are not accepted')
  } else if (!f.has('ssa-signature-ignored')) {
    const trusted = ctx.config.softwareStatements.trustedKeys as JWK[]
    const byKid = header.kid !== undefined ? trusted.filter((k) => k.kid === header.kid) : trusted
    if (byKid.length === 0) {
      if (!f.has('ssa-untrusted-accepted'))
        throw unapproved(`statement signed by an untrusted key (kid ${String(header.kid)})`)
    } else {
      let ok = false
      for (const jwk of byKid) {
        if (jwk.alg && jwk.alg !== alg) continue
        if (await verifiesWith(jwt, jwk, alg)) {
          ok = true
          break
        }
      }
      if (!ok) {
        if (header.kid !== undefined) throw invalid('signature does not verify')
        if (!f.has('ssa-untrusted-accepted'))
          throw unapproved('statement not signed by a trusted key')
      }
    }
  }
  if ((typeof payload.iss !== 'string' || payload.iss === '') && !f.has('ssa-iss-not-required'))
    throw invalid('statement has no iss claim')
  if (payload.exp !== undefined) {
    if (typeof payload.exp !== 'number') throw invalid('exp must be a number')
    if (payload.exp <= ctx.now() && !f.has('ssa-expired-accepted'))
      throw invalid('statement has expired')
  }
  if (typeof payload.nbf === 'number' && payload.nbf > ctx.now() + 60)
    throw invalid('statement is not yet valid')
  const claims: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(payload))
    if (!jwtClaims.has(name)) claims[name] = value
  return claims
}
