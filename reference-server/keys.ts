/**
 * The server's signing keys: one per supported ID token algorithm, generated once per process
 * (RSA generation is slow) and published as public JWKs with `kid`, `alg` and `use`.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#SigningOrder
 */
import { generateKeyPair, exportJWK } from 'jose'
import type { CryptoKey, JWK } from 'jose'

/** Algorithms the server signs ID tokens and UserInfo responses with. */
export const signingAlgs = ['RS256', 'ES256', 'PS256'] as const
export type SigningAlg = (typeof signingAlgs)[number]

export interface SigningKey {
  alg: SigningAlg
  kid: string
  privateKey: CryptoKey
  publicJwk: JWK
  privateJwk: JWK
}

export interface KeySet {
  get(alg: string): SigningKey | undefined
  /** The public JWK Set (RFC 7517 §5). */
  jwks(): { keys: JWK[] }
  /** The JWK Set with private members (only under the `jwks-private-key-leak` fault). */
  leakedJwks(): { keys: JWK[] }
}

let cached: Promise<KeySet> | undefined

async function generate(): Promise<KeySet> {
  const keys = new Map<string, SigningKey>()
  for (const alg of signingAlgs) {
    const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
    const publicJwk = await exportJWK(publicKey)
    const privateJwk = await exportJWK(privateKey)
    const kid = `${alg.toLowerCase()}-${Date.now().toString(36)}`
    const meta = { kid, alg, use: 'sig' }
    keys.set(alg, {
      alg,
      kid,
      privateKey,
      publicJwk: { ...publicJwk, ...meta },
      privateJwk: { ...privateJwk, ...meta },
    })
  }
  const all = [...keys.values()]
  return {
    get: (alg) => keys.get(alg),
    jwks: () => ({ keys: all.map((k) => k.publicJwk) }),
    leakedJwks: () => ({ keys: all.map((k) => k.privateJwk) }),
  }
}

/** The process-wide key set (generated on first use). */
export function serverKeys(): Promise<KeySet> {
  cached ??= generate()
  return cached
}
