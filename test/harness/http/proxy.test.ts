/**
 * The run's forward proxy (harness/http/proxy.ts): named by the environment as curl reads it,
 * loopback always bypassing it, and requests really tunnelled through it (a CONNECT proxy on
 * loopback) with the run's TLS trust checked end to end.
 */
import { once } from 'node:events'
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { connect, type AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startReferenceTarget, type ReferenceTarget } from '../../../builtin/reference-target.ts'
import { createHttpClient } from '../../../harness/http/client.ts'
import {
  browserProxy,
  proxyFor,
  proxyFromEnv,
  shownProxy,
} from '../../../harness/http/proxy.ts'

describe('proxyFromEnv', () => {
  it('reads the proxy variables as curl does, lower case first, and always bypasses loopback', () => {
    expect(proxyFromEnv({})).toBeUndefined()
    expect(
      proxyFromEnv({
        https_proxy: 'http://lower:3128',
        HTTPS_PROXY: 'http://upper:3128',
        HTTP_PROXY: 'http://plain:3128',
        NO_PROXY: 'idp.internal,.corp.test',
      }),
    ).toEqual({
      http: 'http://plain:3128',
      https: 'http://lower:3128',
      noProxy: 'idp.internal,.corp.test,localhost,127.0.0.1,[::1]',
    })
    expect(proxyFromEnv({ HTTPS_PROXY: 'http://p:1' })?.noProxy).toBe('localhost,127.0.0.1,[::1]')
  })

  it('takes host:port as an http proxy, refuses other values without repeating them, and NO_PROXY=* turns it off', () => {
    expect(proxyFromEnv({ HTTPS_PROXY: 'proxy.corp.test:3128' })?.https).toBe('http://proxy.corp.test:3128')
    expect(() => proxyFromEnv({ HTTPS_PROXY: 'ftp://alice:s3cret@p:1' })).toThrow(
      expect.objectContaining({ code: 'E_USAGE', message: expect.not.stringContaining('s3cret') }),
    )
    expect(proxyFromEnv({ HTTPS_PROXY: 'http://p:1', NO_PROXY: '*' })).toBeUndefined()
  })

  it('tells which requests go through the proxy, as undici decides', () => {
    const proxy = { http: 'http://h:1', https: 'http://s:1', noProxy: 'corp.test,idp.test:8443,localhost' }
    const via = (url: string) => proxyFor(proxy, new URL(url))
    expect(via('https://idp.example/')).toBe('http://s:1')
    expect(via('http://idp.example/')).toBe('http://h:1')
    expect(via('https://login.corp.test/')).toBeUndefined()
    expect(via('https://idp.test:8443/')).toBeUndefined()
    expect(via('https://idp.test/')).toBe('http://s:1')
    expect(proxyFor({ https: 'http://s:1', noProxy: '' }, new URL('http://idp.example/'))).toBeUndefined()
  })

  it("gives Chromium one proxy, its credentials apart, and the same bypass list", () => {
    const settings = { http: 'http://plain:3128', https: 'http://a%40b:p%3Ass@proxy.test:8080', noProxy: 'x.test' }
    expect(browserProxy(settings)).toEqual({
      server: 'http://proxy.test:8080',
      bypass: 'x.test,.x.test',
      username: 'a@b',
      password: 'p:ss',
    })
    expect(browserProxy({ http: 'http://plain:3128', noProxy: '' })).toEqual({
      server: 'http://plain:3128',
      bypass: '',
    })
    expect(browserProxy(undefined)).toBeUndefined()
    // A host and its subdomains bypass it, as for the HTTP client; addresses stay as they are.
    expect(browserProxy({ https: 'http://p:1', noProxy: '.corp.test,10.0.0.1,[::1]' })?.bypass).toBe(
      'corp.test,.corp.test,10.0.0.1,[::1]',
    )
  })

  it('shows a proxy without its user and password', () => {
    expect(shownProxy('http://alice:s3cret@proxy.corp.test:3128/')).toBe('http://proxy.corp.test:3128')
    expect(shownProxy('not a url')).toBe('(an unparsable proxy URL)')
  })
})

/** A CONNECT proxy on loopback that records each tunnel's target and opens it to loopback. */
async function tunnellingProxy(): Promise<{ server: Server; url: string; tunnels: string[] }> {
  const tunnels: string[] = []
  const server = createServer((_request, response) => response.writeHead(405).end())
  server.on('connect', (request, client, head) => {
    tunnels.push(request.url ?? '')
    const port = Number(new URL(`http://${request.url}`).port)
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  return { server, url: `http://127.0.0.1:${port}`, tunnels }
}

describe('a run client behind a proxy', () => {
  let reference: ReferenceTarget
  let proxy: Awaited<ReturnType<typeof tunnellingProxy>>
  let ca: string
  beforeAll(async () => {
    reference = await startReferenceTarget()
    proxy = await tunnellingProxy()
    ca = await readFile(reference.target.tls!.ca!, 'utf8')
  })
  afterAll(async () => {
    proxy?.server.close()
    await reference?.close()
  })

  const discovery = () => `${reference.target.issuer}/.well-known/openid-configuration`

  it('tunnels an https request through the proxy and still checks the target certificate', async () => {
    // No loopback bypass here, so that the proxy on loopback is used at all.
    const http = createHttpClient({ tls: { ca }, proxy: { https: proxy.url, noProxy: '' } })
    try {
      const { response } = await http.send({ method: 'GET', url: discovery() })
      expect(response.status).toBe(200)
      expect(proxy.tunnels).toEqual([new URL(discovery()).host])
      const untrusted = createHttpClient({ proxy: { https: proxy.url, noProxy: '' } })
      await expect(untrusted.send({ method: 'GET', url: discovery() })).rejects.toThrow(/TLS failure/)
      await untrusted.close()
    } finally {
      await http.close()
    }
  })

  it('sends loopback targets directly when the proxy comes from the environment', async () => {
    const before = proxy.tunnels.length
    const settings = proxyFromEnv({ HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url })!
    const http = createHttpClient({ tls: { ca }, proxy: settings })
    try {
      expect((await http.send({ method: 'GET', url: discovery() })).response.status).toBe(200)
      expect(proxy.tunnels.length).toBe(before)
    } finally {
      await http.close()
    }
  })
})
