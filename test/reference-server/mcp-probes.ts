/** The probes of the MCP faults (see fault-probes.ts): plain data, no random values. */
import type { ReferenceServer } from '../../reference-server/index.ts'
import { readFileSync } from 'node:fs'
import { Agent } from 'undici'
import { authorize, ep, fetch, registered, send } from './helpers.ts'
import type { Json } from './helpers.ts'
import { callMcp, mcpUrl, otherMcpUrl, prmUrl, tokenFor } from './mcp-helpers.ts'

/** The PRM of /mcp with the origin replaced, so clean and faulted servers compare. */
async function prm(s: ReferenceServer): Promise<unknown> {
  const text = (await send(prmUrl(s))).text
  return text.replaceAll(s.origin.replace(/^https?:/, ''), '//ORIGIN')
}

/** The shape of fault-probes.ts's Probe (not imported: that file imports this one). */
interface McpProbe {
  tls?: boolean
  run(s: ReferenceServer): Promise<unknown>
}

export const mcpProbes: Record<string, McpProbe> = {
  'mcp-s256-not-advertised': {
    run: async (s) => (await send(ep(s).discovery)).body.code_challenge_methods_supported,
  },
  'prm-issuer-not-exact': {
    run: async (s) => (await send(prmUrl(s))).body.authorization_servers,
  },
  'resource-ignored': {
    run: async (s) => {
      const unknown = await tokenFor(s, undefined, 'https://unknown.example/mcp')
      const bound = await tokenFor(s, mcpUrl(s))
      return [unknown.status, (await callMcp(mcpUrl(s), bound.body.access_token)).status]
    },
  },
  'resource-refused-invalid-request': {
    // Two resources at the token endpoint: invalid_target clean, invalid_request under the fault.
    run: async (s) => (await tokenFor(s, mcpUrl(s), [mcpUrl(s), otherMcpUrl(s)])).body.error,
  },
  'audience-not-bound': {
    run: async (s) => {
      const other = await tokenFor(s, otherMcpUrl(s))
      return (await callMcp(mcpUrl(s), other.body.access_token)).status
    },
  },
  'prm-resource-mismatch': { run: prm },
  'prm-http-urls': {
    tls: true,
    run: async (s) => {
      const dispatcher = new Agent({
        connect: { ca: readFileSync(new URL('../../fixtures/tls/ca.pem', import.meta.url), 'utf8') },
      })
      try {
        const body = (await (await fetch(prmUrl(s), { dispatcher })).json()) as Json
        return [body.resource, ...body.authorization_servers].map((url: string) => url.split(':')[0])
      } finally {
        await dispatcher.close()
      }
    },
  },
  'loopback-any-host': {
    run: async (s) => {
      const client = await registered(s, {
        application_type: 'native',
        redirect_uris: ['http://127.0.0.1/cb'],
        token_endpoint_auth_method: 'none',
        scope: 'openid',
      })
      const params = {
        client_id: client.client_id,
        response_type: 'code',
        scope: 'openid',
        code_challenge: 'a'.repeat(43),
        code_challenge_method: 'S256',
      }
      const statuses = []
      for (const uri of ['http://127.0.0.1.example:53127/cb', 'https://evil.example/cb']) {
        const r = await authorize(s, { ...params, redirect_uri: uri }, { login: false })
        statuses.push(r.status)
      }
      return statuses
    },
  },
  'mcp-scope-hint-insufficient': {
    run: async (s) => [
      (await callMcp(mcpUrl(s))).headers.get('www-authenticate')?.match(/scope="([^"]*)"/)?.[1],
      (await send(prmUrl(s))).body.scopes_supported,
    ],
  },
  'no-resource-metadata': {
    run: async (s) => [
      /resource_metadata=/.test((await callMcp(mcpUrl(s))).headers.get('www-authenticate') ?? ''),
      (await send(prmUrl(s))).status,
      (await send(prmUrl(s, ''))).status,
    ],
  },
}
