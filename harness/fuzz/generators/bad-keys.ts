/**
 * Client key sets that are no valid public JWK Set (RFC 7591 §2 `jwks`; RFC 7517 §4.1 `kty` is
 * REQUIRED; OIDC DCR §2: no private or symmetric keys): refused, or not registered.
 */
import fc from 'fast-check'
import type { FuzzCase } from '../case.ts'
import { validMetadata, withMember, type GeneratorOptions } from './valid.ts'

/** A P-256 public key made for these tests (no private part exists anywhere). */
const PUBLIC_EC_KEY = {
  kty: 'EC',
  crv: 'P-256',
  x: 'rXYAXmqqeGaD2cUKk8kqykZl_ekiNb2K2U6-0z07mwg',
  y: 'NzrRMMbep5bg5dTFow29a2IWyvDW3r29mEMTUYDVIYw',
}

const b64 = fc.stringMatching(/^[A-Za-z0-9_-]{4,16}$/)

/** A JWK without `kty`: any of the other members may be there. */
const keyWithoutKty = fc.record(
  {
    kid: fc.stringMatching(/^[a-z0-9]{1,6}$/),
    use: fc.constant('sig'),
    crv: fc.constant('P-256'),
    x: b64,
    y: b64,
  },
  { requiredKeys: [] },
)

interface BadKeySet {
  jwks: unknown
  why: string
  requirement: string
  level: 'must' | 'should'
}

const badKeySets: fc.Arbitrary<BadKeySet> = fc.oneof(
  fc.tuple(keyWithoutKty, fc.boolean()).map(([key, withGood]) => ({
    jwks: { keys: withGood ? [PUBLIC_EC_KEY, key] : [key] },
    why: 'a jwks key without kty',
    requirement: 'R7591-2-h',
    level: 'should' as const,
  })),
  b64.map((k) => ({
    jwks: { keys: [{ kty: 'oct', k }] },
    why: 'a symmetric jwks key',
    requirement: 'OIDCR-2-k',
    level: 'must' as const,
  })),
  b64.map((d) => ({
    jwks: { keys: [{ ...PUBLIC_EC_KEY, d }] },
    why: 'a jwks key with its private part',
    requirement: 'OIDCR-2-k',
    level: 'must' as const,
  })),
  fc.constantFrom('x', {}).map((keys) => ({
    jwks: { keys },
    why: 'a jwks whose keys is no array',
    requirement: 'R7591-2-h',
    level: 'should' as const,
  })),
)

export function badKeysCase(options: GeneratorOptions): fc.Arbitrary<FuzzCase> {
  return fc.tuple(validMetadata(options), badKeySets).map(([base, bad]) => ({
    kind: 'bad-keys' as const,
    ...withMember(base, 'jwks', bad.jwks),
    invalid: {
      member: 'jwks',
      notRegistered: { jwks: { $not: { $eq: bad.jwks } } },
      why: bad.why,
      requirement: bad.requirement,
      level: bad.level,
    },
  }))
}
