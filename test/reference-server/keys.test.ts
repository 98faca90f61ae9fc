/** The reference server's signing keys: fixed test keys by default, fresh ones on request. */
import { compactVerify, importJWK, SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { fixedKeys, generatedKeys, signingAlgs } from '../../reference-server/keys.ts'
import type { KeySet } from '../../reference-server/keys.ts'

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi']

async function expectUsable(set: KeySet): Promise<void> {
  for (const alg of signingAlgs) {
    const key = set.get(alg)!
    expect(key.publicJwk).toMatchObject({ kid: key.kid, alg, use: 'sig' })
    for (const member of PRIVATE_MEMBERS) expect(key.publicJwk).not.toHaveProperty(member)
    expect(key.privateJwk).toHaveProperty('d')
    // What the private key signs, the published public key verifies.
    const jwt = await new SignJWT({ sub: 'x' })
      .setProtectedHeader({ alg, kid: key.kid })
      .sign(key.privateKey)
    const verified = await compactVerify(jwt, await importJWK(key.publicJwk, alg))
    expect(verified.protectedHeader.kid).toBe(key.kid)
  }
  expect(set.jwks().keys).toHaveLength(signingAlgs.length)
}

describe('reference server signing keys', () => {
  it('loads the fixed test keys, publishing only their public parts', async () => {
    const set = await fixedKeys()
    await expectUsable(set)
    expect(set.get('ES256')!.kid).toBe('reference-es256-1')
  })

  it('generates fresh keys when asked', async () => {
    const set = await generatedKeys()
    await expectUsable(set)
    expect(set.get('RS256')!.kid).not.toBe((await fixedKeys()).get('RS256')!.kid)
  })
})
