import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  callbackSlug,
  onCallbackServer,
  startCallbackServer,
  type CallbackServer,
} from '../../../harness/browser/callback-server.ts'

describe('callback server', () => {
  let server: CallbackServer
  beforeAll(async () => {
    server = await startCallbackServer()
  })
  afterAll(async () => {
    await server.close()
  })

  it('derives one path segment per scenario id', () => {
    expect(callbackSlug('registration/redirect-uris')).toBe('registration.redirect-uris')
    expect(callbackSlug('a b/ c')).toBe('a-b.-c')
    expect(server.urlFor('core/walk-through')).toBe(`${server.origin}/callback/core.walk-through`)
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('answers the callback page and records the hit with its query', async () => {
    const afterId = server.lastHitId()
    const url = `${server.urlFor('x/y')}?code=abc&state=s1&state=s2`
    const response = await fetch(url)
    const page = await response.text()
    expect(response.status).toBe(200)
    expect(page).toContain('dcr-conformance: callback received')
    const hit = await server.waitForHit({ path: '/callback/x.y', afterId, timeoutMs: 1000 })
    expect(hit?.query).toEqual({ code: 'abc', state: 's1' })
    expect(hit?.fragmentReported).toBe(false)
  })

  it('records an arrival answered in the browser as a hit, its fragment and form known at once', async () => {
    const afterId = server.lastHitId()
    const url = `${server.urlFor('seen/in-browser')}?state=s`
    const get = server.recordIntercepted({ method: 'GET', url, fragment: 'code=c&state=f' })
    expect(get).toMatchObject({ url, path: '/callback/seen.in-browser', query: { state: 's' } })
    expect(get).toMatchObject({ fragment: 'code=c&state=f', fragmentReported: true })
    const post = server.recordIntercepted({ method: 'POST', url, fragment: '', body: 'code=p' })
    expect(post).toMatchObject({ method: 'POST', form: { code: 'p' }, fragmentReported: true })
    const hit = await server.waitForHit({ path: '/callback/seen.in-browser', afterId, timeoutMs: 1000 })
    expect(hit?.id).toBe(get?.id)
  })

  it('leaves to the server what it would not record itself: other origins and paths, huge bodies', () => {
    const before = server.lastHitId()
    const other = server.urlFor('x').replace(server.origin, 'http://localhost:1')
    expect(server.recordIntercepted({ method: 'GET', url: other, fragment: '' })).toBeUndefined()
    for (const path of ['/__fragment/1', '/favicon.ico']) {
      const url = `${server.origin}${path}`
      expect(server.recordIntercepted({ method: 'GET', url, fragment: '' })).toBeUndefined()
    }
    const body = `code=${'x'.repeat(70 * 1024)}`
    expect(server.recordIntercepted({ method: 'POST', url: server.urlFor('x'), fragment: '', body })).toBeUndefined()
    expect(server.lastHitId()).toBe(before)
  })

  it('records a fragment that the page reports back', async () => {
    const afterId = server.lastHitId()
    const response = await fetch(server.urlFor('frag'))
    const page = await response.text()
    const report = /fetch\(location\.origin \+ '([^']+)'/.exec(page)?.[1]
    expect(report).toMatch(/^\/__fragment\/\d+$/)
    const waiting = server.waitForHit({
      path: '/callback/frag',
      afterId,
      until: (hit) => hit.fragmentReported,
      timeoutMs: 2000,
    })
    await fetch(`${server.origin}${report}`, { method: 'POST', body: 'code=c1&state=s' })
    const hit = await waiting
    expect(hit?.fragment).toBe('code=c1&state=s')
  })

  it('records form_post bodies', async () => {
    const afterId = server.lastHitId()
    await fetch(server.urlFor('post'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'code=p1&state=z',
    })
    const hit = await server.waitForHit({ path: '/callback/post', afterId, timeoutMs: 1000 })
    expect(hit?.method).toBe('POST')
    expect(hit?.form).toEqual({ code: 'p1', state: 'z' })
  })

  it('gives undefined at the deadline and ignores hits on other paths or before afterId', async () => {
    await fetch(server.urlFor('other'))
    const afterId = server.lastHitId()
    await fetch(server.urlFor('mine'))
    const none = await server.waitForHit({ path: '/callback/other', afterId, timeoutMs: 50 })
    expect(none).toBeUndefined()
    const answer = await fetch(`${server.origin}/favicon.ico`)
    expect(answer.status).toBe(404)
  })

  it('records a near miss of a callback URL (another case) as an arrival on that path', async () => {
    const afterId = server.lastHitId()
    const nearMiss = server.urlFor('case').replace('/callback/', '/CALLBACK/')
    expect((await fetch(`${nearMiss}?code=c`)).status).toBe(200)
    const path = new URL(nearMiss).pathname
    const hit = await server.waitForHit({ path, afterId, timeoutMs: 1000 })
    expect(hit?.query).toEqual({ code: 'c' })
    const intercepted = server.recordIntercepted({ method: 'GET', url: nearMiss, fragment: '' })
    expect(intercepted?.path).toBe(path)
  })
})

describe('a fixed callback port (targets.yaml callback.port)', () => {
  it('listens on the port the target registered, and says clearly when it is taken', async () => {
    const first = await startCallbackServer()
    const port = Number(new URL(first.origin).port)
    await first.close()
    const fixed = await startCallbackServer(port)
    try {
      expect(fixed.origin).toBe(`http://127.0.0.1:${port}`)
      await expect(startCallbackServer(port)).rejects.toThrow(`callback.port ${port}: cannot listen`)
    } finally {
      await fixed.close()
    }
  })
})

describe('onCallbackServer', () => {
  const callback = { origin: 'http://127.0.0.1:41234' }
  it('compares parsed origins: other spellings of the address and userinfo go there too', () => {
    for (const url of [
      'http://127.0.0.1:41234/callback/x',
      'http://127.1:41234/callback/x',
      'http://user@127.0.0.1:41234/CALLBACK/x',
    ])
      expect(onCallbackServer(callback, url), url).toBe(true)
    for (const url of ['http://127.0.0.1:41235/callback/x', 'https://127.0.0.1:41234/x', 'not a url'])
      expect(onCallbackServer(callback, url), url).toBe(false)
  })
})
