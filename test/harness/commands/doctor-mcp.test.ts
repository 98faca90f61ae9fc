/**
 * `doctor` for a target given only by its MCP server (harness/commands/doctor-mcp.ts), against
 * the reference server, which plays the MCP server too: every hop is a line, then the usual
 * checks run on the issuer the hops found. A server without protected resource metadata stops
 * doctor at the hop that failed.
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  REFERENCE_CA_FILE,
  startReferenceTarget,
  type ReferenceTarget,
} from '../../../builtin/reference-target.ts'
import { hopFindings } from '../../../harness/commands/doctor-mcp.ts'
import { runCli } from '../../e2e/helpers/streams.ts'

let clean: ReferenceTarget
let faulted: ReferenceTarget
let targetsFile: string

/** A targets.yaml entry with mcp_server and no issuer. */
function entry(name: string, reference: ReferenceTarget): string[] {
  const iat = reference.server.registrationClient
  return [
    `${name}:`,
    `  mcp_server: ${reference.target.mcp_server}`,
    '  registration:',
    '    iat:',
    '      strategy: client_credentials',
    `      client_id: ${iat.client_id}`,
    `      client_secret: ${iat.client_secret}`,
    `      scope: ${iat.scope}`,
    `  capabilities: [${[...new Set(reference.target.capabilities)].join(', ')}]`,
    `  login: { username: ${reference.server.user.username}, password: ${reference.server.user.password} }`,
    `  tls: { ca: ${JSON.stringify(REFERENCE_CA_FILE)} }`,
  ]
}

beforeAll(async () => {
  ;[clean, faulted] = await Promise.all([
    startReferenceTarget(),
    startReferenceTarget({ faults: ['no-resource-metadata'] }),
  ])
  const dir = await mkdtemp(join(tmpdir(), 'dcrc-doctor-mcp-'))
  targetsFile = join(dir, 'targets.yaml')
  await writeFile(targetsFile, [...entry('by-mcp', clean), ...entry('no-prm', faulted), ''].join('\n'))
})
afterAll(async () => {
  await Promise.all([clean?.close(), faulted?.close()])
})

/** `status check` of each finding line (the config hints about inline secrets left out). */
function checks(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((line) => /^ {2}(\w+) +(\w+):/.exec(line))
    .filter((match) => match !== null && match[2] !== 'config')
    .map((match) => `${match![1]} ${match![2]}`)
}

describe('doctor with mcp_server only', () => {
  it('shows each hop, the scope and the issuer found, then checks that issuer', async () => {
    const result = await runCli(
      ['doctor', '--target', 'by-mcp', '--targets', targetsFile, '--login-driver', 'http'],
    )
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const server = clean.target.mcp_server!
    expect(result.stdout).toContain(`doctor: target 'by-mcp' (${server})`)
    expect(result.stdout).toContain(`ok   mcp: challenge POST ${server}: 401 -> `)
    expect(result.stdout).toMatch(/ok {3}mcp: resource_metadata GET \S+\/\.well-known\/oauth-protected-resource\/mcp: 200 -> /)
    expect(result.stdout).toContain('ok   mcp: an MCP client asks for scope "openid read" (from the challenge)')
    expect(result.stdout).toContain(`ok   mcp: issuer ${clean.target.issuer} (authorization_servers)`)
    expect(checks(result.stdout).slice(0, 6)).toEqual([
      'ok mcp',
      'ok mcp',
      'ok mcp',
      'ok mcp',
      'ok mcp',
      'ok tls',
    ])
    expect(result.stdout.trim().split('\n').at(-1)).toBe('doctor: ready to run')
  })

  it('stops at the hop that found no authorization server, with exit 3 and E_DISCOVERY', async () => {
    const result = await runCli(['doctor', '--target', 'no-prm', '--targets', targetsFile])
    expect(result.code).toBe(3)
    expect(checks(result.stdout)).toEqual(['ok mcp', 'hint mcp', 'hint mcp', 'ok mcp', 'fail mcp'])
    expect(result.stdout).toMatch(/hint mcp: resource_metadata GET \S+: 404/)
    expect(result.stderr).toMatch(/no authorization server found .*\[E_DISCOVERY\]/)
    expect(result.stdout).not.toMatch(/^ {2}\w+ +tls:/m)
  })
})

describe('hopFindings', () => {
  it('skips a miss the next URL of the same hop made up for, and hints at one it did not', () => {
    const findings = hopFindings([
      { hop: 'challenge', url: 'https://m/mcp', status: 200 },
      { hop: 'resource_metadata', url: 'https://m/a', status: 404 },
      { hop: 'resource_metadata', url: 'https://m/b', status: 200, found: 'https://as' },
      { hop: 'authorization_server_metadata', url: 'https://as/x', status: 0, error: 'refused' },
    ])
    expect(findings.map((finding) => finding.status)).toEqual(['hint', 'skip', 'ok', 'hint'])
    expect(findings[0]?.fix).toMatch(/401/)
    expect(findings[3]?.message).toBe('authorization_server_metadata GET https://as/x: refused')
  })
})
