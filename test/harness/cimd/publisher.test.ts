import { describe, expect, it } from 'vitest'
import { startPublisher } from '../../../harness/cimd/publisher.ts'
import { publishedResponse } from '../../../harness/cimd/document.ts'
import { fetchDocument, testTls, usePublisher } from './support.ts'

const started = usePublisher(startPublisher)

const get = (url: string, method = 'GET') => fetchDocument(url, started.ca(), method)

describe('the CIMD document publisher', () => {
  it('serves a published document over https at a fresh path under its base URL, and counts requests', async () => {
    const url = started.publisher().newUrl()
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/cimd\/[0-9a-f]{16}$/)
    expect(started.publisher().newUrl()).not.toBe(url)
    started.publisher().publish(
      url,
      publishedResponse(url, {
        document: { redirect_uris: ['http://127.0.0.1/cb'] },
        cache_control: 'no-store',
      }),
    )
    const answer = await get(url)
    expect(answer.status).toBe(200)
    expect(answer.headers['content-type']).toBe('application/json')
    expect(answer.headers['cache-control']).toBe('no-store')
    expect(JSON.parse(answer.body)).toEqual({
      client_id: url,
      redirect_uris: ['http://127.0.0.1/cb'],
    })
    expect(started.publisher().requests(url)).toBe(1)
    await get(url, 'HEAD')
    expect(started.publisher().requests(url)).toBe(2)
  })

  it('replaces a document republished at the same URL, and answers 404 where nothing is published', async () => {
    const url = started.publisher().newUrl()
    started.publisher().publish(url, publishedResponse(url, { document: { client_name: 'first' } }))
    started
      .publisher()
      .publish(
        url,
        publishedResponse(url, { status: 404, body: 'gone', content_type: 'text/plain' }),
      )
    expect(await get(url)).toMatchObject({ status: 404, body: 'gone' })
    expect((await get(started.publisher().newUrl())).status).toBe(404)
  })

  it('answers a redirect without the document, and resets the connection when asked', async () => {
    const url = started.publisher().newUrl()
    started
      .publisher()
      .publish(url, publishedResponse(url, { redirect_to: 'https://127.0.0.1:1/elsewhere' }))
    const answer = await get(url)
    expect(answer.status).toBe(302)
    expect(answer.headers['location']).toBe('https://127.0.0.1:1/elsewhere')
    const reset = started.publisher().newUrl()
    started.publisher().publish(reset, publishedResponse(reset, { reset: true }))
    await expect(get(reset)).rejects.toThrow(/socket hang up|ECONNRESET/)
    expect(started.publisher().requests(reset)).toBe(1)
  })

  it('serves the same documents on an untrusted listener, counting its connections apart', async () => {
    const listener = await started.publisher().untrustedListener()
    expect(listener.origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    expect(listener.origin).not.toBe(new URL(started.publisher().baseUrl).origin)
    expect(listener.connections()).toBe(0)
    const url = `${listener.origin}${new URL(started.publisher().newUrl()).pathname}`
    started.publisher().publish(url, publishedResponse(url, { document: {} }))
    expect(started.publisher().connections(url)).toBe(0)
    const answer = await get(url)
    expect(JSON.parse(answer.body)).toEqual({ client_id: url })
    expect(listener.connections()).toBe(1)
    expect(started.publisher().connections(url)).toBe(1)
    expect(started.publisher().requests(url)).toBe(1)
  })

  it('refuses URLs that are not its own', () => {
    expect(() =>
      started.publisher().publish('https://client.example/c', publishedResponse('x', {})),
    ).toThrow(/is not a URL of this publisher/)
  })

  it('serves under a public base URL with a path, as a tunnel forwarding paths unchanged reaches it', async () => {
    const tls = await testTls()
    const tunnelled = await startPublisher({
      host: '127.0.0.1',
      port: 0,
      tls: { cert: tls.cert, key: tls.key },
      publicBaseUrl: 'https://tunnel.example/dcr/',
    })
    try {
      expect(tunnelled.baseUrl).toBe('https://tunnel.example/dcr')
      const url = tunnelled.newUrl()
      expect(url).toMatch(/^https:\/\/tunnel\.example\/dcr\/cimd\//)
      tunnelled.publish(url, publishedResponse(url, { document: {} }))
      const local = await tunnelled.untrustedListener()
      const answer = await get(`${local.origin}${new URL(url).pathname}`)
      expect(JSON.parse(answer.body)).toEqual({ client_id: url })
    } finally {
      await tunnelled.close()
    }
  })
})
