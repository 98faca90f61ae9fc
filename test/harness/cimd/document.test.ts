import { describe, expect, it } from 'vitest'
import { documentBody, PADDING_MEMBER, publishedResponse } from '../../../harness/cimd/document.ts'

const url = 'https://127.0.0.1:4443/cimd/abc'

describe('what the cimd-document fixture publishes', () => {
  it("defaults the document's client_id to its URL, and lets the scenario name another", () => {
    expect(JSON.parse(documentBody(url, { document: { client_name: 'c' } }))).toEqual({
      client_id: url,
      client_name: 'c',
    })
    const other = JSON.parse(
      documentBody(url, { document: { client_id: 'https://other.example/c' } }),
    )
    expect(other.client_id).toBe('https://other.example/c')
  })

  it('pads a document to at least pad_to bytes with one unknown member, and no further', () => {
    const padded = documentBody(url, { document: { client_name: 'c' }, pad_to: 8192 })
    expect(Buffer.byteLength(padded)).toBe(8192)
    expect(Object.keys(JSON.parse(padded))).toEqual(['client_id', 'client_name', PADDING_MEMBER])
    const already = documentBody(url, { document: { client_name: 'x'.repeat(100) }, pad_to: 10 })
    expect(JSON.parse(already)[PADDING_MEMBER]).toBe('')
  })

  it('answers 200 JSON by default, or the status, type, cache header and raw body asked for', () => {
    const plain = publishedResponse(url, { document: {} })
    expect(plain).toMatchObject({ status: 200, headers: { 'content-type': 'application/json' } })
    expect(plain.headers['cache-control']).toBeUndefined()
    expect(plain.headers['content-length']).toBe(String(Buffer.byteLength(plain.body)))
    const html = publishedResponse(url, {
      status: 404,
      content_type: 'text/html',
      body: '<p>é</p>',
      cache_control: 'max-age=0',
    })
    expect(html).toEqual({
      status: 404,
      headers: { 'content-type': 'text/html', 'content-length': '9', 'cache-control': 'max-age=0' },
      body: '<p>é</p>',
    })
  })

  it('answers a redirect or a reset instead of a document', () => {
    expect(publishedResponse(url, { redirect_to: 'https://a.example/b' })).toEqual({
      status: 302,
      headers: { location: 'https://a.example/b' },
      body: '',
    })
    expect(publishedResponse(url, { reset: true }).reset).toBe(true)
  })

  it('refuses inputs of the wrong type with E_FIXTURE', () => {
    for (const input of [
      { status: 99 },
      { status: '200' },
      { pad_to: -1 },
      { document: [] },
      { body: 3 },
    ]) {
      expect(() => publishedResponse(url, input), JSON.stringify(input)).toThrow(
        expect.objectContaining({ code: 'E_FIXTURE' }),
      )
    }
  })
})
