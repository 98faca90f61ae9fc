import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient } from '../../../harness/http/client.ts'
import { RunLedger } from '../../../harness/runner/ledger.ts'
import { startToyServer, type ToyServer } from '../../e2e/helpers/toy-server.ts'

let toy: ToyServer
const http = createHttpClient()
beforeAll(async () => {
  toy = await startToyServer('good')
})
afterAll(async () => {
  await http.close()
  await toy.close()
})

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
  it('keeps the latest RAT seen in any body and deletes with it', async () => {
    const ledger = new RunLedger()
    const client = await register()
    ledger.track(client)
    const { response } = await http.send({
      method: 'GET',
      url: client.registration_client_uri,
      headers: { authorization: `Bearer ${client.registration_access_token}` },
    })
    const rotated = (response.body as { registration_access_token: string })
      .registration_access_token
    expect(rotated).not.toBe(client.registration_access_token)
    ledger.observeBody(response.body)
    ledger.observeBody({ client_id: 'someone-else', registration_access_token: 'x' })
    expect(ledger.entries()).toEqual([{ ...client, registration_access_token: rotated }])
    expect(await ledger.deleteAll(http, true)).toEqual([])
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
    const leftovers = await ledger.deleteAll(http, true)
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
    expect(await cannot.deleteAll(http, false)).toEqual([
      {
        client_id: client.client_id,
        reason: 'target does not declare capability delete (RFC 7592)',
      },
    ])
  })
})
