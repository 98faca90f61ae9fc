import { readFileSync } from 'node:fs'
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectOptions, createHttpClient } from '../../../harness/http/client.ts'

const tls = new URL('../../../fixtures/tls/', import.meta.url)
let connections = 0
const server = createServer(
  {
    cert: readFileSync(new URL('server.pem', tls)),
    key: readFileSync(new URL('server-key.pem', tls)),
  },
  (req, res) => {
    // `?close` ends the connection after the answer, so the next request needs a new one.
    const close = req.url?.includes('close') === true
    res.writeHead(200, {
      'content-type': 'application/json',
      ...(close ? { connection: 'close' } : {}),
    })
    res.end('{"ok":true}')
  },
)
server.on('secureConnection', () => (connections += 1))
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
        // The private CA is not trusted: named a TLS failure, so preflight.ts hints at tls.ca.
        message: /: TLS failure \(unable to verify the first certificate\)$/,
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

  it('builds the trust with the extra CA once, as a context every connection shares', () => {
    const ca = readFileSync(new URL('ca.pem', tls), 'utf8')
    const options = connectOptions({ tls: { ca } })
    expect(options.secureContext).toBeDefined()
    // Given as `ca`, node would build a new context from all roots for every connection.
    expect(options).not.toHaveProperty('ca')
    expect(connectOptions({}).secureContext).toBeUndefined()
    expect(connectOptions({ tls: { insecure: true } }).rejectUnauthorized).toBe(false)
  })

  it('verifies every new connection against the shared trust', async () => {
    const http = createHttpClient({ tls: { ca: readFileSync(new URL('ca.pem', tls), 'utf8') } })
    const before = connections
    try {
      for (let i = 0; i < 3; i++) {
        expect((await http.send({ method: 'GET', url: `${url}?close` })).response.status).toBe(200)
      }
      expect(connections - before).toBe(3)
    } finally {
      await http.close()
    }
  })
})
