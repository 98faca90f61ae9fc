import { readFileSync } from 'node:fs'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient } from '../../../harness/http/client.ts'

const tls = new URL('../../../fixtures/tls/', import.meta.url)
const server = createServer(
  {
    cert: readFileSync(new URL('server.pem', tls)),
    key: readFileSync(new URL('server-key.pem', tls)),
  },
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('{"ok":true}')
  },
)
let url = ''

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('TLS options', () => {
  it('verifies certificates by default (a private CA is refused)', async () => {
    const http = createHttpClient()
    try {
      await expect(http.send({ method: 'GET', url })).rejects.toMatchObject({
        code: 'E_HTTP',
        message: /TLS failure|certificate/,
      })
    } finally {
      await http.close()
    }
  })

  it('trusts an extra CA', async () => {
    const http = createHttpClient({ tls: { ca: readFileSync(new URL('ca.pem', tls), 'utf8') } })
    try {
      expect((await http.send({ method: 'GET', url })).response.body).toEqual({ ok: true })
    } finally {
      await http.close()
    }
  })

  it('skips verification only when insecure is asked for', async () => {
    const http = createHttpClient({ tls: { insecure: true } })
    try {
      expect((await http.send({ method: 'GET', url })).response.status).toBe(200)
    } finally {
      await http.close()
    }
  })
})
