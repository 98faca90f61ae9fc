import { describe, expect, it } from 'vitest'
import { uriComponent, urlForms } from '../../../harness/http/uri-component.ts'

describe('uriComponent', () => {
  it('encodes as encodeURIComponent does, pairs of surrogates included', () => {
    for (const value of ['a b&c=d', "!'()*~", 'é', '\u{1F600}'])
      expect(uriComponent(value)).toBe(encodeURIComponent(value))
  })

  it('sends an unpaired surrogate as U+FFFD, as URLSearchParams does, instead of throwing', () => {
    for (const value of ['x\uD800y', 'x\uDFFFy', '\uDC00\uD800', 'end\uD83D']) {
      expect(() => encodeURIComponent(value)).toThrow(URIError)
      const form = new URLSearchParams({ v: value }).toString().slice(2)
      expect(uriComponent(value)).toBe(form)
    }
  })
})

describe('urlForms', () => {
  it('gives the raw, URL-encoded and form-encoded value (a space as %20 and as +)', () => {
    expect(urlForms('a b/c')).toEqual(['a b/c', 'a%20b%2Fc', 'a+b%2Fc'])
  })
})
