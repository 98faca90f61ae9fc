/**
 * `init --mcp-server URL` (harness/commands/init.ts, init-entry.ts) against the reference server
 * as MCP server: the entry names the MCP server instead of the issuer, lists the hops and the
 * issuer they found as comments, declares `mcp`, and `list` accepts it once its variables are set.
 */
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  REFERENCE_CA_FILE,
  startReferenceTarget,
  type ReferenceTarget,
} from '../../../builtin/reference-target.ts'
import { runCli } from '../../e2e/helpers/streams.ts'

let reference: ReferenceTarget
beforeAll(async () => {
  reference = await startReferenceTarget()
})
afterAll(async () => {
  await reference?.close()
})

describe('init --mcp-server', () => {
  it('writes an entry with mcp_server, the hops and the issuer they found', async () => {
    const server = reference.target.mcp_server!
    const targets = join(await mkdtemp(join(tmpdir(), 'dcrc-init-mcp-')), 'targets.yaml')
    const argv = ['init', '--mcp-server', server, '--name', 'mcp-idp', '--targets', targets]
    const init = await runCli([...argv, '--ca', REFERENCE_CA_FILE])
    expect(init.stderr).toBe('')
    expect(init.code).toBe(0)
    const text = await readFile(targets, 'utf8')
    expect(text).toContain(`# mcp-idp: written by \`dcr-conformance init\` from ${server}.`)
    expect(text).toContain(`  mcp_server: "${server}"`)
    expect(text).not.toMatch(/^ {2}issuer:/m)
    expect(text).toContain(`  # issuer: "${reference.target.issuer}"   # set it to skip the hops`)
    expect(text).toContain(`  #   challenge POST ${server}: 401 -> `)
    expect(text).toMatch(/^ {2}# {3}authorization_server_metadata GET \S+: 200 -> /m)
    const capabilities = /^ {2}capabilities: \[(.*)\]$/m.exec(text)![1]!.split(', ')
    expect(capabilities).toEqual(expect.arrayContaining(['mcp', 'iat_required', 'oidc']))

    const env = { ...process.env, MCP_IDP_IAT_CLIENT_ID: 'server', MCP_IDP_IAT_CLIENT_SECRET: 'x' }
    const list = await runCli(['list', '--target', 'mcp-idp', '--targets', targets, '--tag', 'mcp'], {
      env,
    })
    expect(list.stderr).toBe('')
    expect(list.code).toBe(0)
    expect(list.stdout).toContain('mcp/resource-challenge')
  })

  it('refuses an ISSUER together with --mcp-server, and an MCP server that does not answer', async () => {
    const both = await runCli(['init', reference.target.issuer, '--mcp-server', 'https://x/mcp'])
    expect(both.code).toBe(2)
    expect(both.stderr).toMatch(/--mcp-server URL alone/)
    // Port 1 on loopback: nothing listens, the first hop already fails.
    const nowhere = await runCli(['init', '--mcp-server', 'https://127.0.0.1:1/mcp', '--targets', '-'])
    expect(nowhere.code).not.toBe(0)
    expect(nowhere.stdout).toBe('')
    expect(nowhere.stderr).toMatch(/^error: init: https:\/\/127\.0\.0\.1:1\/mcp: .*fix: check mcp_server/)
  })
})
