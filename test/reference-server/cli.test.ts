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
