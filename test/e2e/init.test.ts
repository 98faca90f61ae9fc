/**
 * `init ISSUER` (harness/commands/init.ts) against a running `serve` (the reference server's own
 * command, over HTTPS): the entry it writes is accepted by `run`, with only its placeholders set.
 */
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { serveCommand } from '../../reference-server/cli.ts'
import { captureStream, runCli } from './helpers/streams.ts'
import { FIXTURE_SUITES } from './helpers/suite-dir.ts'

const tls = fileURLToPath(new URL('../../fixtures/tls/', import.meta.url))
const stop = new AbortController()
let served: Promise<number>
let issuer: string
let secret: string

beforeAll(async () => {
  const stdout = captureStream()
  served = serveCommand(
    ['--tls-cert', join(tls, 'server.pem'), '--tls-key', join(tls, 'server-key.pem')],
    { stdout, signal: stop.signal },
  )
  for (let tries = 0; !/^issuer:/m.test(stdout.text()) && tries < 600; tries += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  issuer = /^issuer: +(\S+)/m.exec(stdout.text())![1]!
  secret = /^registration client: server \/ (\S+)/m.exec(stdout.text())![1]!
})
afterAll(async () => {
  stop.abort()
  await served
})

describe('dcr-conformance init', () => {
  it('writes a commented entry from discovery that a run accepts once its variables are set', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcrc-init-'))
    const targets = join(dir, 'targets.yaml')
    const init = await runCli(['init', issuer, '--name', 'local-idp', '--targets', targets, '--ca', join(tls, 'ca.pem')])
    expect(init.stderr).toBe('')
    expect(init.code).toBe(0)
    expect(init.stdout).toContain(`wrote target 'local-idp' to ${targets}`)
    const text = await readFile(targets, 'utf8')
    expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=\S+\/harness\/config\/targets\.schema\.json$/)
    expect(text).toContain(`  issuer: "${issuer}"`)
    expect(text).toContain('A registration without a token was refused (401)')
    expect(text).toContain('client_id: "${{ env.LOCAL_IDP_IAT_CLIENT_ID }}"')
    expect(text).toContain('client_secret: "${{ env.LOCAL_IDP_IAT_CLIENT_SECRET }}"')
    expect(text).not.toContain(secret)
    const capabilities = /^ {2}capabilities: \[(.*)\]$/m.exec(text)![1]!.split(', ')
    expect(capabilities).toEqual(expect.arrayContaining(['iat_required', 'oidc', 'rfc8414_metadata', 'userinfo']))
    expect(capabilities).not.toContain('open_registration')

    const again = await runCli(['init', issuer, '--name', 'local-idp', '--targets', targets])
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/already has a target 'local-idp'/)

    const unset = await runCli(['list', '--target', 'local-idp', '--targets', targets], {
      env: { PATH: process.env.PATH },
    })
    expect(unset.code).toBe(2)
    expect(unset.stderr).toMatch(/environment variable LOCAL_IDP_IAT_CLIENT_ID is not set/)

    const env = { ...process.env, LOCAL_IDP_IAT_CLIENT_ID: 'server', LOCAL_IDP_IAT_CLIENT_SECRET: secret }
    const run = await runCli(
      ['run', '--target', 'local-idp', '--targets', targets, '--suite', join(FIXTURE_SUITES, 'basic'), '--login-driver', 'http', '--seed', '1'],
      { env },
    )
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(/\b0 failed\b.*\b0 errored\b/)
  })

  it('prints the entry with --targets -', async () => {
    const printed = await runCli(['init', issuer, '--targets', '-', '--ca', join(tls, 'ca.pem')])
    expect(printed.code).toBe(0)
    expect(printed.stdout).toMatch(/^# 127\.0\.0\.1-\d+: written by `dcr-conformance init`/)
    expect(printed.stdout).toContain('tls: { ca: ')
  })
})
