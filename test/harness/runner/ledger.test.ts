import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import type { HttpClient } from '../../../harness/http/types.ts'
import { createHttpClient } from '../../../harness/http/client.ts'
import { DEFAULT_DELETE_CONCURRENCY, RunLedger } from '../../../harness/runner/ledger.ts'
import { startToyServer } from '../../e2e/helpers/toy-server.ts'
import { forFile } from '../../support/for-file.ts'

const toy = await forFile(startToyServer('good'))
const http = await forFile(createHttpClient())

async function register(): Promise<{
  client_id: string
  registration_client_uri: string
  registration_access_token: string
}> {
  const { response } = await http.send({
    method: 'POST',
    url: `${toy.issuer}/register`,
    headers: { 'content-type': 'application/json' },
    body: '{}',
  })
  return response.body as never
}

describe('RunLedger', () => {
  it('keeps the latest RAT of a real response and deletes with it', async () => {
    const ledger = new RunLedger()
    const client = await register()
    ledger.track(client)
    const { response, exchange } = await http.send({
      method: 'GET',
      url: client.registration_client_uri,
      headers: { authorization: `Bearer ${client.registration_access_token}` },
    })
    const rotated = (response.body as { registration_access_token: string })
      .registration_access_token
    expect(rotated).not.toBe(client.registration_access_token)
    ledger.observeExchange(exchange)
    ledger.observeBody({ client_id: 'someone-else', registration_access_token: 'x' })
    expect(ledger.entries()).toEqual([{ ...client, registration_access_token: rotated }])
    expect(await ledger.deleteAll(http, { canDelete: true, registrationEndpoint: `${toy.issuer}/register` })).toEqual([])
    expect(toy.deleted).toContain(client.client_id)
    expect(ledger.entries()).toEqual([])
  })

  it('forgets a client the scenario deleted itself', async () => {
    const ledger = new RunLedger()
    const client = await register()
    ledger.track(client)
    const { exchange } = await http.send({
      method: 'DELETE',
      url: client.registration_client_uri,
      headers: { authorization: `Bearer ${client.registration_access_token}` },
    })
    ledger.observeExchange(exchange)
    expect(ledger.entries()).toEqual([])
  })

  it('reports what it cannot delete', async () => {
    const ledger = new RunLedger()
    const client = await register()
    ledger.track({ ...client, registration_access_token: 'stale' })
    ledger.track({ client_id: 'no-management' })
    const leftovers = await ledger.deleteAll(http, { canDelete: true, registrationEndpoint: `${toy.issuer}/register` })
    expect(leftovers).toEqual(
      [
        {
          client_id: client.client_id,
          reason: `DELETE ${client.registration_client_uri} answered 401`,
        },
        {
          client_id: 'no-management',
          reason: 'no registration_client_uri and registration_access_token to delete it with',
        },
      ].sort((a, b) => (a.client_id < b.client_id ? -1 : 1)),
    )
    const cannot = new RunLedger()
    cannot.track(client)
    expect(await cannot.deleteAll(http, { canDelete: false })).toEqual([
      {
        client_id: client.client_id,
        reason: 'target does not declare capability delete (RFC 7592)',
      },
    ])
  })
})

/** A loopback server that records DELETEs and may reset the first ones it receives. */
async function startDeleteServer(options: { resets?: number } = {}): Promise<{
  origin: string
  requests: { method: string; path: string; authorization: string }[]
  close(): Promise<void>
}> {
  const requests: { method: string; path: string; authorization: string }[] = []
  let resets = options.resets ?? 0
  const server = createServer((req, res) => {
    requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization ?? '',
    })
    if (resets > 0) {
      resets -= 1
      req.socket.destroy()
      return
    }
    res.writeHead(204).end()
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections()
        server.close(() => done())
      }),
  }
}

describe('RunLedger security and robustness', () => {
  it('never sends a RAT to another origin than the registration endpoint', async () => {
    const attacker = await startDeleteServer()
    try {
      const ledger = new RunLedger()
      const client = await register()
      ledger.track(client)
      // A body naming the client with a foreign management URI (as a PUT document would).
      ledger.observeBody({
        client_id: client.client_id,
        registration_access_token: 'made-up-rat',
        registration_client_uri: `${attacker.origin}/register/x`,
      })
      const leftovers = await ledger.deleteAll(http, {
        canDelete: true,
        registrationEndpoint: `${toy.issuer}/register`,
      })
      expect(attacker.requests).toEqual([])
      expect(leftovers).toEqual([
        {
          client_id: client.client_id,
          reason: expect.stringContaining(
            `registration_client_uri ${attacker.origin}/register/x is not on the registration endpoint's origin (${toy.origin})`,
          ) as string,
        },
      ])
    } finally {
      await attacker.close()
    }
  })

  it('deletes a client whose registration_client_uri is path-only, on the registration origin', async () => {
    const ledger = new RunLedger()
    const client = await register()
    const path = new URL(client.registration_client_uri).pathname
    ledger.track({ ...client, registration_client_uri: path })
    const leftovers = await ledger.deleteAll(http, {
      canDelete: true,
      registrationEndpoint: `${toy.issuer}/register`,
    })
    expect(leftovers).toEqual([])
    expect(toy.deleted).toContain(client.client_id)
  })

  it('learns only from JSON responses of exchanges, not from request bodies', () => {
    const ledger = new RunLedger()
    ledger.track({ client_id: 'c1', registration_access_token: 'rat-1', registration_client_uri: 'https://as.test/r/c1' })
    ledger.observeExchange({
      request: {
        method: 'PUT',
        url: 'https://as.test/r/c1',
        headers: {},
        body: JSON.stringify({ client_id: 'c1', registration_access_token: 'request-rat' }),
      },
      response: { status: 400, headers: { 'content-type': 'application/json' }, body: '{"error":"invalid_client_metadata"}' },
      durationMs: 1,
    })
    expect(ledger.entries()[0]?.registration_access_token).toBe('rat-1')
    ledger.observeExchange({
      request: { method: 'GET', url: 'https://as.test/r/c1', headers: {} },
      response: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_id: 'c1', registration_access_token: 'rat-2' }),
      },
      durationMs: 1,
    })
    expect(ledger.entries()[0]?.registration_access_token).toBe('rat-2')
  })

  it('keeps at most 8 DELETEs in flight', async () => {
    const server = await startDeleteServer()
    try {
      const ledger = new RunLedger()
      for (let index = 0; index < 30; index++) {
        ledger.track({
          client_id: `c${index}`,
          registration_client_uri: `${server.origin}/register/c${index}`,
          registration_access_token: `rat-${index}`,
        })
      }
      let inFlight = 0
      let most = 0
      const counting: HttpClient = {
        async send(request, signal) {
          inFlight += 1
          most = Math.max(most, inFlight)
          try {
            return await http.send(request, signal)
          } finally {
            inFlight -= 1
          }
        },
      }
      const leftovers = await ledger.deleteAll(counting, {
        canDelete: true,
        registrationEndpoint: `${server.origin}/register`,
      })
      expect(leftovers).toEqual([])
      expect(server.requests).toHaveLength(30)
      expect(most).toBe(DEFAULT_DELETE_CONCURRENCY)
      expect(DEFAULT_DELETE_CONCURRENCY).toBe(8)
    } finally {
      await server.close()
    }
  })

  it('retries a DELETE once when the connection is reset, then reports it', async () => {
    const once = await startDeleteServer({ resets: 1 })
    const twice = await startDeleteServer({ resets: 2 })
    try {
      const entry = (origin: string) => ({
        client_id: 'c1',
        registration_client_uri: `${origin}/register/c1`,
        registration_access_token: 'rat-1',
      })
      const recovering = new RunLedger()
      recovering.track(entry(once.origin))
      expect(
        await recovering.deleteAll(http, { canDelete: true, registrationEndpoint: `${once.origin}/register` }),
      ).toEqual([])
      expect(once.requests.map((r) => r.method)).toEqual(['DELETE', 'DELETE'])
      expect(recovering.entries()).toEqual([])

      const failing = new RunLedger()
      failing.track(entry(twice.origin))
      const leftovers = await failing.deleteAll(http, {
        canDelete: true,
        registrationEndpoint: `${twice.origin}/register`,
      })
      expect(twice.requests).toHaveLength(2)
      expect(leftovers).toEqual([
        {
          client_id: 'c1',
          reason: expect.stringMatching(/^DELETE failed: .*connection reset or closed by the target/) as string,
        },
      ])
    } finally {
      await once.close()
      await twice.close()
    }
  })
})
