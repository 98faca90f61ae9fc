/**
 * Discovery from an MCP server URL (harness/config/mcp-discovery.ts, mcp-target.ts) against the
 * real reference server: the hops, the fallbacks, and a target given only by its MCP server run
 * end to end with each hop in the report's notices.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bearerChallengeParams } from '../../../harness/config/bearer-challenge.ts'
import { discoverFromMcpServer, expectedResources } from '../../../harness/config/mcp-discovery.ts'
import { issuerOf, openIdPathInsertionUrl } from '../../../harness/config/mcp-discovery.ts'
import { protectedResourceMetadataUrls } from '../../../harness/config/mcp-discovery.ts'
import { createHttpClient } from '../../../harness/http/client.ts'
import { runSuite } from '../../../harness/run-suite.ts'
import { repoRoot } from '../../../harness/scenario/vocabulary.ts'
import { startReferenceServer, type ReferenceServer } from '../../../reference-server/index.ts'

describe('bearerChallengeParams', () => {
  it('reads quoted and token params of the Bearer challenge only', () => {
    expect(
      bearerChallengeParams(
        'Basic realm="x", Bearer realm="mcp", resource_metadata="https://r.test/.well-known/oauth-protected-resource/mcp", scope="a b", error=invalid_token',
      ),
    ).toEqual({
      realm: 'mcp',
      resource_metadata: 'https://r.test/.well-known/oauth-protected-resource/mcp',
      scope: 'a b',
      error: 'invalid_token',
    })
    expect(bearerChallengeParams('Bearer error_description="say \\"no\\""')).toEqual({
      error_description: 'say "no"',
    })
    expect(bearerChallengeParams('Basic realm="x"')).toBeUndefined()
    expect(bearerChallengeParams(undefined)).toBeUndefined()
  })
})

describe('protectedResourceMetadataUrls', () => {
  it('gives the path-specific URL first, then the root one (RFC 9728 §3.1)', () => {
    expect(protectedResourceMetadataUrls('https://r.test/api/mcp/')).toEqual([
      'https://r.test/.well-known/oauth-protected-resource/api/mcp',
      'https://r.test/.well-known/oauth-protected-resource',
    ])
    expect(protectedResourceMetadataUrls('https://r.test')).toEqual([
      'https://r.test/.well-known/oauth-protected-resource',
    ])
  })
})

describe('expectedResources (RFC 9728 §3.3)', () => {
  it('is the MCP server URL through the challenge or the path-specific URL', () => {
    const wellKnown = 'https://r.test/.well-known/oauth-protected-resource'
    expect(expectedResources('https://r.test/mcp', `${wellKnown}/mcp`, 'challenge')).toEqual([
      'https://r.test/mcp',
    ])
    expect(expectedResources('https://r.test/mcp/', `${wellKnown}/mcp`, 'well-known')).toEqual([
      'https://r.test/mcp/',
      'https://r.test/mcp',
    ])
  })

  it('is the origin or the MCP server URL at the root URL', () => {
    const root = 'https://r.test/.well-known/oauth-protected-resource'
    expect(expectedResources('https://r.test/mcp', root, 'well-known')).toEqual([
      'https://r.test',
      'https://r.test/',
      'https://r.test/mcp',
    ])
  })
})

describe('openIdPathInsertionUrl', () => {
  it('inserts the OpenID well-known path between host and issuer path', () => {
    expect(openIdPathInsertionUrl('https://as.test/tenant/a/')).toBe(
      'https://as.test/.well-known/openid-configuration/tenant/a',
    )
  })
})

/**
 * An MCP server whose 401 names no metadata, with metadata at the path-specific well-known URL
 * only, and an authorization server with a path publishing only the OpenID path-insertion URL.
 */
function startWellKnownOnly(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const json = (body: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.url === '/mcp') {
      res.writeHead(401, { 'www-authenticate': 'Bearer realm="mcp"' })
      res.end()
    } else if (req.url === '/.well-known/oauth-protected-resource/mcp') {
      json({ resource: `${origin}/mcp`, authorization_servers: [`${origin}/tenant`] })
    } else if (req.url === '/.well-known/openid-configuration/tenant') {
      json({ issuer: `${origin}/tenant` })
    } else {
      res.writeHead(404)
      res.end()
    }
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  )
}

describe('discoverFromMcpServer', () => {
  let clean: ReferenceServer
  let noChallenge: ReferenceServer
  beforeAll(async () => {
    clean = await startReferenceServer({ config: { log: 'off' } })
    noChallenge = await startReferenceServer({
      faults: ['no-resource-metadata'],
      config: { log: 'off' },
    })
  })
  afterAll(async () => {
    await clean.close()
    await noChallenge.close()
  })

  it('walks challenge -> resource metadata -> authorization server metadata', async () => {
    const http = createHttpClient()
    try {
      const found = await discoverFromMcpServer(`${clean.origin}/mcp`, http)
      expect(found.challenge).toMatchObject({
        status: 401,
        resource_metadata: `${clean.origin}/.well-known/oauth-protected-resource/mcp`,
        scope: 'openid read',
      })
      expect(found.resource_metadata?.body['resource']).toBe(`${clean.origin}/mcp`)
      expect(found.resource_metadata).toMatchObject({
        found_by: 'challenge',
        expected_resources: [`${clean.origin}/mcp`],
      })
      expect(issuerOf(found)).toBe(clean.issuer)
      expect(found.authorization_server_metadata?.body['issuer']).toBe(clean.issuer)
      expect(found.hops.map((hop) => [hop.hop, hop.status])).toEqual([
        ['challenge', 401],
        ['resource_metadata', 200],
        ['authorization_server_metadata', 200],
      ])
    } finally {
      await http.close()
    }
  })

  it('finds no metadata when the fault removes both mechanisms', async () => {
    const http = createHttpClient()
    try {
      const found = await discoverFromMcpServer(`${noChallenge.origin}/mcp`, http)
      expect(found.challenge).toMatchObject({ status: 401 })
      expect(found.challenge.resource_metadata).toBeUndefined()
      expect(found.resource_metadata).toBeUndefined()
      expect(found.hops.map((hop) => [hop.hop, hop.status])).toEqual([
        ['challenge', 401],
        ['resource_metadata', 404],
        ['resource_metadata', 404],
      ])
    } finally {
      await http.close()
    }
  })

  it('falls back to the well-known URL and to the OpenID path-insertion URL', async () => {
    const { server, origin } = await startWellKnownOnly()
    const http = createHttpClient()
    try {
      const found = await discoverFromMcpServer(`${origin}/mcp`, http)
      expect(found.challenge.resource_metadata).toBeUndefined()
      expect(found.resource_metadata).toMatchObject({
        url: `${origin}/.well-known/oauth-protected-resource/mcp`,
        found_by: 'well-known',
        expected_resources: [`${origin}/mcp`],
      })
      expect(found.authorization_server_metadata?.url).toBe(
        `${origin}/.well-known/openid-configuration/tenant`,
      )
      expect(found.hops.map((hop) => hop.status)).toEqual([401, 200, 404, 200])
    } finally {
      await http.close()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('falls back to the root metadata for an unknown path, and names the failed hop', async () => {
    const http = createHttpClient()
    try {
      const found = await discoverFromMcpServer(`${clean.origin}/not-mcp`, http)
      expect(found.hops.map((hop) => [hop.hop, hop.status])).toEqual([
        ['challenge', 404],
        ['resource_metadata', 404],
        ['resource_metadata', 200],
        ['authorization_server_metadata', 200],
      ])
    } finally {
      await http.close()
    }
    const lost = {
      mcp_server: 'https://r.test/mcp',
      challenge: { status: 401 },
      hops: [{ hop: 'resource_metadata' as const, url: 'https://r.test/x', status: 404 }],
    }
    expect(() => issuerOf(lost)).toThrow(/resource_metadata at https:\/\/r.test\/x answered 404/)
  })
})

describe('a target given only by its MCP server', () => {
  it('finds the issuer from the MCP server and the report shows each hop', async () => {
    const server = await startReferenceServer({ config: { log: 'off' } })
    const folder = await mkdtemp(join(tmpdir(), 'dcr-mcp-'))
    try {
      const targets = join(folder, 'targets.yaml')
      await writeFile(
        targets,
        [
          'mcp-only:',
          `  mcp_server: ${server.origin}/mcp`,
          '  registration:',
          '    iat:',
          '      strategy: client_credentials',
          `      client_id: ${server.registrationClient.client_id}`,
          '      client_secret: "${{ env.MCP_IAT_SECRET }}"',
          '      scope: dcr',
          `  capabilities: [mcp, plain_http, public_clients, native_apps, user_login, iat_required]`,
          '  login:',
          `    username: ${server.user.username}`,
          '    password: "${{ env.MCP_PASSWORD }}"',
          '',
        ].join('\n'),
      )
      const suite = join(repoRoot(), 'suites', 'mcp')
      const report = await runSuite({
        target: 'mcp-only',
        targetsFile: targets,
        env: {
          MCP_IAT_SECRET: server.registrationClient.client_secret,
          MCP_PASSWORD: server.user.password,
        },
        suite: [
          join(suite, 'resource-challenge.yaml'),
          join(suite, 'protected-resource-metadata.yaml'),
          join(suite, 'authorization-server-metadata.yaml'),
          join(suite, 'resource-token-accepted.yaml'),
        ],
        loginDriver: 'http',
      })
      expect(report.target.issuer).toBe(server.issuer)
      const hops = (report.notices ?? []).filter((line) => line.startsWith('MCP discovery'))
      expect(hops).toHaveLength(3)
      expect(hops[0]).toContain(`challenge POST ${server.origin}/mcp -> 401`)
      expect(hops[2]).toContain(`-> 200 (${server.issuer})`)
      expect(report.scenarios.map((s) => [s.id, s.outcome])).toEqual(
        expect.arrayContaining([
          ['mcp/resource-challenge', 'passed'],
          ['mcp/protected-resource-metadata', 'passed'],
          ['mcp/authorization-server-metadata', 'passed'],
          ['mcp/resource-token-accepted', 'passed'],
        ]),
      )
    } finally {
      await rm(folder, { recursive: true, force: true })
      await server.close()
    }
  })
})
