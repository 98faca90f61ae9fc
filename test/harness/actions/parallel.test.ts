import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient } from '../../../harness/http/client.ts'
import { parallelAction } from '../../../harness/actions/parallel.ts'
import type { ResolvedTarget } from '../../../harness/model/target.ts'
import { actionContext } from './helpers.ts'

/**
 * A barrier server: it answers nobody until `count` requests have arrived. A parallel action that
 * sent its copies one after the other would never get the first answer (and time out).
 */
const COUNT = 5
const waiting: ServerResponse[] = []
let arrived = 0
const server = createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    arrived++
    waiting.push(res)
    if (waiting.length === COUNT) {
      waiting.forEach((r, index) => {
        r.writeHead(index === 0 ? 201 : 401, { 'content-type': 'application/json' })
        r.end(JSON.stringify(index === 0 ? { client_id: 'winner' } : { error: 'invalid_token' }))
      })
    }
  })
})
let origin = ''
const http = createHttpClient({ limits: { request_timeout_ms: 5_000 } })

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await http.close()
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

function target(): ResolvedTarget {
  return {
    name: 'barrier',
    issuer: origin,
    metadata: {},
    endpoints: { registration_endpoint: `${origin}/register` },
    capabilities: [],
  }
}

describe('parallel', () => {
  it('releases all copies together and records every result', async () => {
    const context = actionContext(target(), http)
    const result = await parallelAction.execute(
      {
        count: COUNT,
        register: { token: 'shared-iat', metadata: { redirect_uris: ['https://a.test/cb'] } },
      },
      context,
    )
    expect(arrived).toBe(COUNT)
    expect([...(result.data['statuses'] as number[])].sort()).toEqual([201, 401, 401, 401, 401])
    const results = result.data['results'] as { status: number; client_id?: string }[]
    expect(results).toHaveLength(COUNT)
    expect(results.filter((r) => r.client_id === 'winner')).toHaveLength(1)
    expect(result.exchanges).toHaveLength(COUNT)
    expect(context.tracked.map((e) => e.client_id)).toEqual(['winner'])
  })

  it('validates count and the request kind', async () => {
    const context = actionContext(target(), http)
    await expect(
      parallelAction.execute({ count: 0, http: { url: origin } }, context),
    ).rejects.toMatchObject({ code: 'E_ACTION' })
    await expect(parallelAction.execute({ count: 2 }, context)).rejects.toMatchObject({
      message: /exactly one of/,
    })
  })
})
