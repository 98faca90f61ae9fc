/**
 * The `command` target provider (harness/providers/command.ts) with real child processes: a
 * targets.yaml entry starts a small HTTP server, the ready line fills the entry's variables, and
 * stopping the target ends the process. A process that ends before it is ready is an error that
 * quotes its output.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isRunning } from '../../support/process.ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadTargets } from '../../../harness/config/targets.ts'
import { parseReadyLine } from '../../../harness/providers/command.ts'
import { startTarget, targetProvider } from '../../../harness/providers/registry.ts'
import type { ProviderLaunch } from '../../../harness/providers/target-provider.ts'

// Serves its pid; prints a log line, then the ready line; closes on SIGTERM.
const SERVER = `
import { createServer } from 'node:http'
const server = createServer((req, res) => res.end(String(process.pid)))
server.listen(0, '127.0.0.1', () => {
  console.log('starting up')
  const issuer = 'http://127.0.0.1:' + server.address().port
  console.log(JSON.stringify({ issuer, env: { SRV_ISSUER: issuer, SRV_TOKEN: 'made-up-at-start' } }))
})
process.on('SIGTERM', () => server.close(() => process.exit(0)))
`
const FAILING = `console.error('port 8443 already in use'); process.exit(3)`

let folder: string

async function launch(name: string, yaml: string): Promise<ProviderLaunch> {
  const file = join(folder, `${name}.yaml`)
  await writeFile(file, yaml)
  const loaded = await loadTargets(file, { env: {} })
  expect(loaded.targets.has(name)).toBe(false)
  return loaded.launches.get(name)!
}


beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'dcrc-command-provider-'))
  await writeFile(join(folder, 'server.mjs'), SERVER)
  await writeFile(join(folder, 'failing.mjs'), FAILING)
})
afterAll(async () => {
  await rm(folder, { recursive: true, force: true })
})

describe('the command provider', () => {
  it('starts the entry, resolves it with the variables of the ready line, and stops it', async () => {
    const entry = await launch(
      'local',
      [
        'local:',
        '  provider:',
        `    command: [${JSON.stringify(process.execPath)}, server.mjs]`,
        '  issuer: ${{ env.SRV_ISSUER }}',
        '  registration:',
        '    iat: { strategy: static, token: "${{ env.SRV_TOKEN }}" }',
        '  capabilities: [iat_required]',
        '  expectations: known.yaml',
        '',
      ].join('\n'),
    )
    expect(entry.provider).toBe('command')
    // Known before the start, so it is validated before anything runs.
    expect(entry.entry?.expectations).toBe(join(folder, 'known.yaml'))
    const started = await startTarget(entry)
    expect(started.target.name).toBe('local')
    expect(started.target.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(started.target.registration?.iat).toEqual({ strategy: 'static', token: 'made-up-at-start' })
    expect(started.target.capabilities).toEqual(['iat_required'])
    const pid = Number(await (await fetch(started.target.issuer)).text())
    expect(isRunning(pid)).toBe(true)
    await started.close()
    expect(isRunning(pid)).toBe(false)
  })

  it('takes the issuer of the ready line when the entry gives none', async () => {
    const entry = await launch(
      'bare',
      `bare:\n  provider: { command: [${JSON.stringify(process.execPath)}, server.mjs] }\n`,
    )
    const started = await startTarget(entry)
    try {
      expect(started.target.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    } finally {
      await started.close()
    }
  })

  it('reports a process that ends before its ready line, with what it said', async () => {
    const entry = await launch(
      'broken',
      `broken:\n  provider: { command: [${JSON.stringify(process.execPath)}, failing.mjs] }\n`,
    )
    const error = await startTarget(entry).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'E_TARGET_UNREACHABLE' })
    expect((error as Error).message).toMatch(/ended before it was ready \(exit code 3\).*port 8443 already in use/)
  })

  it('reports a program that cannot be started', async () => {
    const entry = await launch('missing', 'missing:\n  provider: { command: [./no-such-program] }\n')
    await expect(startTarget(entry)).rejects.toMatchObject({ code: 'E_TARGET_UNREACHABLE' })
  })

  it('injects no faults and names the providers it knows', async () => {
    const entry = await launch(
      'faulty',
      `faulty:\n  provider: { command: [${JSON.stringify(process.execPath)}, server.mjs] }\n`,
    )
    await expect(startTarget(entry, { faults: ['x'] })).rejects.toThrow(/cannot inject faults/)
    expect(() => targetProvider('docker')).toThrow(/no target provider 'docker'.*command/)
  })
})

describe('the ready line', () => {
  it('is a JSON object with an issuer; other lines are not', () => {
    expect(parseReadyLine('{"issuer":"https://a.test","env":{"A":"1","B":2}}')).toEqual({
      issuer: 'https://a.test',
      env: { A: '1' },
    })
    expect(parseReadyLine('listening on 8443')).toBeUndefined()
    expect(parseReadyLine('{"env":{}}')).toBeUndefined()
    expect(parseReadyLine('["https://a.test"]')).toBeUndefined()
  })
})
