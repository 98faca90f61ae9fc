/**
 * The server's signing keys: one per supported ID token algorithm, published as public JWKs with
 * `kid`, `alg` and `use`. By default the fixed test keys of fixtures/keys (imported in about a
 * millisecond; generating two RSA keys took ~200 ms of every run's start-up); with
 * DCR_REFERENCE_KEYS=generate, fresh keys per process, for a `serve` others can reach.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#SigningOrder
 */
import { readFile } from 'node:fs/promises'
import { exportJWK, generateKeyPair, importJWK } from 'jose'
import type { CryptoKey, JWK } from 'jose'
import { fixtureKeyPath } from './fixture-keys.ts'

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

/** The file of fixed test keys (private JWKs; fixtures/keys/README.md). */
export const FIXED_KEYS_FILE = 'reference-signing.private.jwks.json'

/** Members of a private JWK that the public one must not carry (RFC 7518 §6.2.2, §6.3.2). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth']

function publicPart(jwk: JWK): JWK {
  const copy: Record<string, unknown> = { ...jwk }
  for (const member of PRIVATE_MEMBERS) delete copy[member]
  return copy as JWK
}

function keySet(keys: Map<string, SigningKey>): KeySet {
  const all = [...keys.values()]
  return {
    get: (alg) => keys.get(alg),
    jwks: () => ({ keys: all.map((k) => k.publicJwk) }),
    leakedJwks: () => ({ keys: all.map((k) => k.privateJwk) }),
  }
}

/** The fixed test keys, one per algorithm of `signingAlgs`. */
export async function fixedKeys(): Promise<KeySet> {
  const text = await readFile(fixtureKeyPath(FIXED_KEYS_FILE), 'utf8')
  const jwks = (JSON.parse(text) as { keys: JWK[] }).keys
  const keys = new Map<string, SigningKey>()
  for (const alg of signingAlgs) {
    const privateJwk = jwks.find((jwk) => jwk.alg === alg)
    if (!privateJwk?.kid) throw new Error(`${FIXED_KEYS_FILE}: no ${alg} key with a kid`)
    const privateKey = (await importJWK(privateJwk, alg)) as CryptoKey
    const publicJwk = publicPart(privateJwk)
    keys.set(alg, { alg, kid: privateJwk.kid, privateKey, publicJwk, privateJwk })
  }
  return keySet(keys)
}

/** Fresh keys for this process. */
export async function generatedKeys(): Promise<KeySet> {
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
  return keySet(keys)
}

/** The process-wide key set (loaded or generated on first use). */
export function serverKeys(): Promise<KeySet> {
  cached ??= process.env.DCR_REFERENCE_KEYS === 'generate' ? generatedKeys() : fixedKeys()
  return cached
}
