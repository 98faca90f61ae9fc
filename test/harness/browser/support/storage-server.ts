/**
 * A page that leaves state behind (a cookie, localStorage, sessionStorage when asked) and a slow
 * page, for the context-pool and page-watch tests.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface StorageServer {
  origin: string
  close(): Promise<void>
}

/**
 * `/` sets a cookie; `/slow?ms=N` answers after N ms; `/redirect` sends the browser to `/`;
 * `/scripted` is a page whose script keeps running.
 */
export async function startStorageServer(): Promise<StorageServer> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    if (url.pathname === '/redirect') {
      response.writeHead(302, { location: '/' })
      response.end()
      return
    }
    if (url.pathname === '/scripted') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      response.end('<!doctype html><title>ticking</title><script>setInterval(() => {}, 50)</script>')
      return
    }
    const page = () => {
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'set-cookie': 'left=behind; Path=/',
      })
      response.end('<!doctype html><title>state</title><p>state</p>')
    }
    if (url.pathname === '/slow') setTimeout(page, Number(url.searchParams.get('ms') ?? 0))
    else page()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
