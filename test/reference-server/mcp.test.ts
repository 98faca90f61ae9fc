/**
 * The reference server as MCP authorization server and MCP resources (reference-server/mcp/): the
 * 401 challenge, RFC 9728 metadata at both well-known URLs, RFC 8707 resource indicators on
 * authorize and token, and tokens accepted only by the resource they were issued for.
 */
import { describe, expect, it } from 'vitest'
import { authorize, basic, codeFor, redeem, registered, send, startForFile } from './helpers.ts'
import { codeRequest } from './helpers.ts'
import { tokenRequest } from './helpers.ts'
import { callMcp, confidentialClient, initialize, mcpUrl, otherMcpUrl } from './mcp-helpers.ts'
import { prmUrl, tokenFor } from './mcp-helpers.ts'

const s = await startForFile()

describe('MCP resource challenge and metadata', () => {
  it('answers 401 with resource_metadata (path-specific URL) and a scope hint', async () => {
    const r = await callMcp(mcpUrl(s))
    expect(r.status).toBe(401)
    const challenge = r.headers.get('www-authenticate') ?? ''
    expect(challenge).toMatch(/^Bearer /)
    expect(challenge).toContain(`resource_metadata="${prmUrl(s)}"`)
    expect(challenge).toContain('scope="openid read"')
  })

  it('serves RFC 9728 metadata at the path-specific and the root well-known URL', async () => {
    for (const url of [prmUrl(s), prmUrl(s, '')]) {
      const r = await send(url)
      expect(r.status, url).toBe(200)
      expect(r.body).toMatchObject({ resource: mcpUrl(s), authorization_servers: [s.issuer] })
    }
    expect((await send(prmUrl(s, '/mcp-other'))).body.resource).toBe(otherMcpUrl(s))
    expect((await send(prmUrl(s, '/nothing'))).status).toBe(404)
  })
})

describe('MCP scopes', () => {
  it('refuses a token bound to it but without the read scope: 403 insufficient_scope', async () => {
    const client = await registered(s, confidentialClient)
    const flow = await codeFor(s, client, { resource: mcpUrl(s), scope: 'openid' })
    const token = await redeem(s, client, flow.code, flow.verifier, flow.redirectUri)
    expect(token.body.scope).toBe('openid')
    const r = await callMcp(mcpUrl(s), token.body.access_token as string)
    expect(r.status).toBe(403)
    const challenge = r.headers.get('www-authenticate') ?? ''
    expect(challenge).toMatch(/^Bearer error="insufficient_scope", scope="openid read"/)
    expect(challenge).toContain(`resource_metadata="${prmUrl(s)}"`)
  })

  it('names the same scopes in the challenge and in scopes_supported', async () => {
    const challenge = (await callMcp(mcpUrl(s))).headers.get('www-authenticate') ?? ''
    const hinted = /scope="([^"]*)"/.exec(challenge)?.[1]?.split(' ')
    expect((await send(prmUrl(s))).body.scopes_supported).toEqual(hinted)
  })
})

describe('MCP sessions (Streamable HTTP, stateful)', () => {
  it('opens a session on initialize, echoes the id, needs the session for the rest', async () => {
    const token = (await tokenFor(s, mcpUrl(s))).body.access_token as string
    const init = await callMcp(mcpUrl(s), token, { ...initialize, id: 'init-7' })
    expect(init.status).toBe(200)
    expect(init.body).toMatchObject({
      jsonrpc: '2.0',
      id: 'init-7',
      result: { protocolVersion: '2025-06-18' },
    })
    const session = init.headers.get('mcp-session-id')
    expect(session).toMatch(/^[\x21-\x7e]+$/)
    const list = { jsonrpc: '2.0', id: 42, method: 'tools/list' }
    const without = await callMcp(mcpUrl(s), token, list)
    expect([without.status, without.body.error.code]).toEqual([400, -32000])
    const listed = await callMcp(mcpUrl(s), token, list, session!)
    expect([listed.status, listed.body]).toEqual([
      200,
      { jsonrpc: '2.0', id: 42, result: { tools: [] } },
    ])
    expect((await callMcp(mcpUrl(s), token, list, 'no-such-session')).status).toBe(404)
    const again = await callMcp(mcpUrl(s), token, initialize, session!)
    expect(again.status).toBe(400)
    const initialized = { jsonrpc: '2.0', method: 'notifications/initialized' }
    const note = await callMcp(mcpUrl(s), token, initialized, session!)
    expect(note.status).toBe(202)
  })

  it('checks the token before the session: a request without one gets 401, not 400', async () => {
    const r = await callMcp(mcpUrl(s), undefined, { jsonrpc: '2.0', id: 1, method: 'tools/list' })
    expect(r.status).toBe(401)
  })
})

describe('resource indicators (RFC 8707)', () => {
  it('binds the token to the resource: accepted there, refused at the other MCP server', async () => {
    const token = (await tokenFor(s, mcpUrl(s))).body.access_token as string
    expect((await callMcp(mcpUrl(s), token)).status).toBe(200)
    const foreign = await callMcp(otherMcpUrl(s), token)
    expect(foreign.status).toBe(401)
    expect(foreign.headers.get('www-authenticate')).toContain('error="invalid_token"')
  })

  it('refuses a token without an audience at an MCP server', async () => {
    const token = (await tokenFor(s, undefined)).body.access_token as string
    expect(token).toEqual(expect.any(String))
    expect((await callMcp(mcpUrl(s), token)).status).toBe(401)
  })

  it('refuses an unknown resource on the authorization request with invalid_target', async () => {
    const client = await registered(s, confidentialClient)
    const r = await authorize(
      s,
      {
        ...codeRequest(client),
        state: 'S1',
        code_challenge: 'a'.repeat(43),
        code_challenge_method: 'S256',
        resource: 'https://unknown.example/mcp',
      },
      { login: false },
    )
    expect(r.query?.get('error')).toBe('invalid_target')
    expect(r.query?.get('state')).toBe('S1')
  })

  it('refuses two resources, an unknown one and one other than authorized at the token endpoint', async () => {
    const two = await tokenFor(s, undefined, [mcpUrl(s), otherMcpUrl(s)])
    expect([two.status, two.body.error]).toEqual([400, 'invalid_target'])
    expect((await tokenFor(s, mcpUrl(s), otherMcpUrl(s))).body.error).toBe('invalid_target')
    expect((await tokenFor(s, undefined, 'https://unknown.example/mcp')).body.error).toBe(
      'invalid_target',
    )
    expect((await tokenFor(s, undefined, `${mcpUrl(s)}#frag`)).body.error).toBe('invalid_target')
  })

  it('keeps the audience on refresh', async () => {
    const first = await tokenFor(s, mcpUrl(s), undefined)
    const refreshed = await tokenRequest(
      s,
      { grant_type: 'refresh_token', refresh_token: first.body.refresh_token },
      { authorization: basic(first.client.client_id, first.client.client_secret) },
    )
    expect(refreshed.status).toBe(200)
    expect((await callMcp(mcpUrl(s), refreshed.body.access_token)).status).toBe(200)
    expect((await callMcp(otherMcpUrl(s), refreshed.body.access_token)).status).toBe(401)
  })
})
