/** The generators: deterministic per seed, template-free, and each kind shaped as it says. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fuzzCases } from '../../../harness/fuzz/generators/cases.ts'
import { badUriCase } from '../../../harness/fuzz/generators/bad-uris.ts'
import { duplicateKeysCase } from '../../../harness/fuzz/generators/duplicate-keys.ts'
import { fragmentCase } from '../../../harness/fuzz/generators/fragments.ts'
import { unicodeCase } from '../../../harness/fuzz/generators/unicode.ts'
import { wrongTypeCase } from '../../../harness/fuzz/generators/wrong-types.ts'
import { CLIENT_HOST } from '../../../harness/fuzz/generators/values.ts'
import type { FuzzCase } from '../../../harness/fuzz/case.ts'

const options = { withScope: true, oidc: true }
const sample = (arbitrary: fc.Arbitrary<FuzzCase>, seed = 11, numRuns = 300) =>
  fc.sample(arbitrary, { seed, numRuns })

describe('fuzz generators', () => {
  it('give the same cases for the same seed, and other cases for another', () => {
    const cases = fuzzCases(options)
    expect(sample(cases, 5, 50)).toEqual(sample(cases, 5, 50))
    expect(sample(cases, 6, 50)).not.toEqual(sample(cases, 5, 50))
  })

  it('cover every kind and never write a template expression the fuzzer did not put there', () => {
    const cases = sample(fuzzCases(options), 3, 600)
    expect(new Set(cases.map((c) => c.kind))).toEqual(
      new Set([
        'valid',
        'wrong-type',
        'bad-uri',
        'fragment',
        'unknown-enum',
        'inconsistent-types',
        'bad-keys',
        'oversized',
        'unicode',
        'duplicate-keys',
      ]),
    )
    for (const fuzzCase of cases) {
      const text = fuzzCase.rawBody ?? JSON.stringify(fuzzCase.metadata)
      expect(text.replaceAll('${{ target.scope }}', '')).not.toContain('${{')
      if (fuzzCase.invalid?.member !== 'scope') expect(fuzzCase.metadata.scope).toBe('${{ target.scope }}')
    }
  })

  it('leave out scope when the target has none, and OpenID-only members for non-OpenID targets', () => {
    const cases = sample(fuzzCases({ withScope: false, oidc: false }), 4, 400)
    expect(cases.every((c) => !('scope' in c.metadata) || c.kind === 'wrong-type')).toBe(true)
    const members = cases.flatMap((c) => (c.invalid ? [c.invalid.requirement] : []))
    expect(members).not.toContain('OIDCR-2-j')
    expect(members).not.toContain('OIDCR-2-e')
  })

  it('judge a relative redirect URI at must (R6749-3.1.2-a), an active-content one at should (R6749-3.1.2-b)', () => {
    const redirects = sample(badUriCase(options)).filter((c) => c.invalid?.member === 'redirect_uris')
    const judged = (c: FuzzCase) => {
      const uri = (c.metadata.redirect_uris as string[]).find((u) => !u.startsWith('https://'))
      return [uri?.startsWith('/') ? 'relative' : 'active', c.invalid?.requirement, c.invalid?.level]
    }
    const kinds = new Set(redirects.map((c) => JSON.stringify(judged(c))))
    expect(kinds).toEqual(
      new Set([
        JSON.stringify(['relative', 'R6749-3.1.2-a', 'must']),
        JSON.stringify(['active', 'R6749-3.1.2-b', 'should']),
      ]),
    )
  })

  it("judge an accepted wrong type by the member's own rule, a descriptive member by none", () => {
    const cases = sample(wrongTypeCase(options))
    const judged = new Map(cases.flatMap((c) => (c.invalid ? [[c.invalid.member, c.invalid]] : [])))
    expect(judged.get('scope')).toMatchObject({ requirement: 'R7591-2-i', level: 'must' })
    expect(judged.get('grant_types')).toMatchObject({ requirement: 'R7591-2-e', level: 'should' })
    expect(judged.get('redirect_uris')).toMatchObject({ requirement: 'R7591-2-a', level: 'should' })
    expect(cases.some((c) => typeof c.metadata.client_name === 'number')).toBe(true)
    const clientNameTyped = cases.filter((c) => typeof c.metadata.client_name === 'number')
    expect(clientNameTyped.every((c) => c.invalid === undefined)).toBe(true)
    const descriptive = ['client_name', 'client_uri', 'contacts', 'software_id', 'default_max_age']
    expect(cases.filter((c) => descriptive.includes(c.invalid?.member ?? ''))).toEqual([])
  })

  it('put a fragment redirect URI among valid ones, and judge only that one', () => {
    for (const fuzzCase of sample(fragmentCase(options))) {
      const uris = fuzzCase.metadata.redirect_uris as string[]
      expect(uris.filter((uri) => uri.includes('#'))).toHaveLength(1)
      expect(fuzzCase.invalid?.requirement).toBe('R6749-3.1.2-a')
      expect(fuzzCase.echoed).not.toContain('redirect_uris')
    }
    expect(sample(fragmentCase(options)).some((c) => (c.metadata.redirect_uris as string[]).length >= 2)).toBe(true)
  })

  it('send unicode that is NFC and has no control characters, and compare its echo', () => {
    for (const fuzzCase of sample(unicodeCase(options))) {
      const values = ['client_name', 'client_name#ja', 'contacts']
        .filter((name) => name in fuzzCase.metadata)
        .flatMap((name) => [fuzzCase.metadata[name]].flat() as string[])
      expect(values.some((value) => /[^\u0000-\u007f]/.test(value))).toBe(true)
      for (const value of values) {
        expect(value).toBe(value.normalize('NFC'))
        expect(value).not.toMatch(/\p{Cc}/u)
      }
      for (const name of ['client_name', 'contacts']) {
        if (name in fuzzCase.metadata) expect(fuzzCase.echoed).toContain(name)
      }
    }
  })

  it('write a duplicated member twice in the raw body, the last value being what JSON.parse keeps', () => {
    for (const fuzzCase of sample(duplicateKeysCase(options), 9, 100)) {
      const member = fuzzCase.duplicate!.member
      const raw = fuzzCase.rawBody!
      expect(raw.split(`"${member}":`)).toHaveLength(3)
      expect(JSON.parse(raw)[member]).toEqual(fuzzCase.duplicate!.values[1])
      expect(JSON.parse(raw)).toEqual(fuzzCase.metadata)
    }
  })

  it('keep every generated URI on the client host, never contacted', () => {
    for (const fuzzCase of sample(fuzzCases(options), 8, 300)) {
      for (const uri of [fuzzCase.metadata.redirect_uris].flat()) {
        if (typeof uri === 'string' && /^https?:/.test(uri)) expect(new URL(uri).hostname).toBe(CLIENT_HOST)
      }
    }
  })
})
