/** The CLI entry points: serve (start, print, stop), faults (text, json), usage errors. */
import { describe, expect, it } from 'vitest'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { faultsCommand, serveCommand } from '../../reference-server/cli.ts'
import { faultCatalogue } from '../../reference-server/faults.ts'
import { send } from './helpers.ts'

function sink() {
  let text = ''
  return {
    write: (chunk: string) => ((text += chunk), true),
    get text() {
      return text
    },
  }
}

async function waitFor(predicate: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('faults command', () => {
  it('lists every fault with its requirements, as text and as JSON', async () => {
    const out = sink()
    expect(await faultsCommand([], { stdout: out })).toBe(0)
    for (const f of faultCatalogue) expect(out.text).toContain(f.name)
    const json = sink()
    expect(await faultsCommand(['--format', 'json'], { stdout: json })).toBe(0)
    expect(JSON.parse(json.text)).toEqual(faultCatalogue)
  })

  it('usage errors return 2', async () => {
    const err = sink()
    expect(await faultsCommand(['--format', 'xml'], { stderr: err })).toBe(2)
    expect(await faultsCommand(['--bogus'], { stderr: err })).toBe(2)
    expect(err.text).toMatch(/Usage/)
  })
})

describe('serve command', () => {
  it('--help prints usage and returns 0', async () => {
    const out = sink()
    expect(await serveCommand(['--help'], { stdout: out })).toBe(0)
    expect(out.text).toMatch(/--fault NAME/)
  })

  it('usage errors return 2 with a message', async () => {
    for (const argv of [
      ['--port', 'abc'],
      ['--fault', 'no-such-fault'],
      ['--bogus'],
      ['--tls-cert', 'x'],
      ['--config', '/nonexistent/file.yaml'],
      ['--port'],
    ]) {
      const err = sink()
      expect(await serveCommand(argv, { stderr: err }), argv.join(' ')).toBe(2)
      expect(err.text).toMatch(/dcr-conformance serve: /)
    }
  })

  it('starts with a YAML config and faults, prints issuer and credentials, serves, stops on abort', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ref-cli-'))
    const file = join(dir, 'policy.yaml')
    await writeFile(
      file,
      'registration:\n  scopePolicy: remove\nregistrationClient:\n  client_secret: from-config-file\n',
    )
    const out = sink()
    const controller = new AbortController()
    const done = serveCommand(
      ['--config', file, '--fault', 'registration-200', '--fault=no-echo'],
      { stdout: out, signal: controller.signal },
    )
    await waitFor(() => out.text.includes('Press Ctrl+C'))
    const issuer = /issuer:\s+(\S+)/.exec(out.text)![1]!
    expect(out.text).toContain('server / from-config-file')
    expect(out.text).toContain('registration-200, no-echo')
    const discovery = await send(`${issuer}/.well-known/openid-configuration`)
    expect(discovery.body.issuer).toBe(issuer)
    controller.abort()
    expect(await done).toBe(0)
  })
})

describe('exports for the harness', () => {
  it('referenceCapabilities and referenceTestData describe the default server', async () => {
    const { referenceCapabilities, referenceTestData, startReferenceServer } =
      await import('../../reference-server/index.ts')
    for (const flag of [
      'oidc',
      'rfc7592',
      'delete',
      'software_statement',
      'iat_required',
      'iat_one_time',
      'public_clients',
      'secret_post',
      'native_apps',
      'refresh_tokens',
      'pairwise',
      'alt_id_token_alg',
      'userinfo',
      'introspection',
      'iss_param',
      'user_login',
      'curity',
      'curity_nontemplatized',
      'curity_templatized',
      'curity_dcrm',
      'iat_consumed_on_failure',
    ]) {
      expect(referenceCapabilities).toContain(flag)
    }
    expect(referenceCapabilities).not.toContain('implicit')
    expect(referenceCapabilities).not.toContain('plain_http_probe')
    const server = await startReferenceServer()
    try {
      const data: Record<string, unknown> = referenceTestData(server)
      expect(data).toMatchObject({
        template_software_id: 'template-web',
        management_client_id: 'dcr-manager',
        management_client_secret: server.managementClient.client_secret,
        privileged_scope: 'admin',
        registration_scope: 'dcr',
        other_scope: 'read',
        username: 'alice',
      })
      expect((data.ssa_trusted_private_jwk as Record<string, unknown>).d).toEqual(
        expect.any(String),
      )
      expect(data.allowed_scopes).not.toContain(data.outside_scope)
    } finally {
      await server.close()
    }
  })
})
