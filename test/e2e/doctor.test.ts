/**
 * `doctor` (harness/commands/doctor.ts) against real servers, and `run`'s preflight
 * (harness/config/preflight.ts): a wrong IAT client secret is one line and exit 3 for both.
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REFERENCE_CA_FILE, startReferenceTarget, type ReferenceTarget } from '../../builtin/reference-target.ts'
import { runCli } from './helpers/streams.ts'
import { FIXTURE_SUITES } from './helpers/suite-dir.ts'
import { startToyServer } from './helpers/toy-server.ts'

let reference: ReferenceTarget
let targetsFile: string

beforeAll(async () => {
  reference = await startReferenceTarget()
  const dir = await mkdtemp(join(tmpdir(), 'dcrc-doctor-'))
  targetsFile = join(dir, 'targets.yaml')
  await writeFile(
    targetsFile,
    [
      'wrong-secret:',
      `  issuer: ${reference.target.issuer}`,
      '  registration:',
      '    iat:',
      '      strategy: client_credentials',
      `      client_id: ${reference.server.registrationClient.client_id}`,
      '      client_secret: "${{ env.WRONG_SECRET }}"',
      '      scope: dcr',
      '  capabilities: [iat_required, rfc7592, delete]',
      `  tls: { ca: ${JSON.stringify(REFERENCE_CA_FILE)} }`,
      '',
    ].join('\n'),
  )
})
afterAll(async () => {
  await reference?.close()
})

const env = { ...process.env, WRONG_SECRET: 'not-the-secret' }

describe('dcr-conformance doctor', () => {
  it('passes against the built-in reference target, every check ok', async () => {
    const result = await runCli(['doctor', '--login-driver', 'http'])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const lines = result.stdout.trim().split('\n')
    expect(lines.at(-1)).toBe('doctor: ready to run')
    const checks = lines.slice(1, -1).map((line) => /^ {2}(\w+) +(\w+):/.exec(line)?.slice(1))
    expect(checks.map((check) => check?.[1])).toEqual([
      'tls',
      'discovery',
      'discovery',
      'registration',
      'iat',
      'login',
      'capabilities',
    ])
    expect(checks.every((check) => check?.[0] === 'ok')).toBe(true)
    expect(result.stdout).toMatch(/iat: client_credentials obtained a token that registers; it is one-time/)
    expect(result.stdout).toMatch(/login: the http driver reached the callback with a code/)
  })

  it('names a wrong IAT secret in one line and exits 3; run stops with the same line, no scenario run', async () => {
    const doctor = await runCli(['doctor', '--target', 'wrong-secret', '--targets', targetsFile, '--login-driver', 'http'], { env })
    expect(doctor.code).toBe(3)
    const errors = doctor.stderr.trim().split('\n')
    expect(errors).toHaveLength(1)
    const line = errors[0]!
    expect(line).toMatch(
      /^error: target 'wrong-secret': registration\.iat \(client_credentials\) obtained no initial access token: the token endpoint answered 401 .*; fix: check registration\.iat\.client_id, client_secret and auth_method \[E_IAT\]$/,
    )
    expect(doctor.stdout).toMatch(/^ {2}fail iat: /m)
    expect(doctor.stdout).not.toContain('not-the-secret')

    const run = await runCli(['run', '--target', 'wrong-secret', '--targets', targetsFile, '--suite', FIXTURE_SUITES], { env })
    expect(run.code).toBe(3)
    expect(run.stderr.trim().split('\n')).toEqual([line])
    // The report (written even so) runs no scenario: none errored, none reached the server.
    expect(run.stdout).toMatch(/\b0 errored\b/)
    expect(run.stdout).not.toMatch(/basic\//)
  })

  it('names tls.ca as the fix when the server certificate is not trusted', async () => {
    const result = await runCli(['doctor', '--target', reference.target.issuer, '--login-driver', 'http'])
    expect(result.code).toBe(3)
    expect(result.stdout).toMatch(/^ {2}fail tls: .*certificate.*\(trust: system CAs[^)]*\)$/m)
    expect(result.stdout).toMatch(/^ {7}fix: set tls: \{ ca: FILE \} in targets\.yaml/m)
    expect(result.stdout).not.toMatch(/ registration:/)
    expect(result.stderr).toMatch(/^error: target '127\.0\.0\.1:\d+': .*certificate.* \[E_HTTP\]\n$/)
  })

  it('names credential_origins as the fix when the login page is on another origin, and sends it no password', async () => {
    const posts: string[] = []
    // The authorization endpoint, on an origin the target does not allow: a login form posting home.
    const foreign = createServer((req, res) => {
      if (req.method === 'POST') posts.push(req.url ?? '')
      res.writeHead(200, { 'content-type': 'text/html' }).end(
        '<!doctype html><form method="post" action="/login"><input name="username">' +
          '<input name="password" type="password"><button type="submit">Log in</button></form>',
      )
    })
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', () => resolve()))
    const origin = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`
    const user = reference.server.user
    const file = join(await mkdtemp(join(tmpdir(), 'dcrc-doctor-')), 'targets.yaml')
    await writeFile(
      file,
      [
        'foreign-login:',
        `  issuer: ${reference.target.issuer}`,
        `  endpoints: { authorization_endpoint: ${origin}/authorize }`,
        '  registration:',
        '    iat:',
        '      strategy: client_credentials',
        `      client_id: ${reference.server.registrationClient.client_id}`,
        `      client_secret: ${JSON.stringify(reference.server.registrationClient.client_secret)}`,
        '      scope: dcr',
        '  capabilities: [iat_required, rfc7592, delete, user_login]',
        `  login: { username: ${JSON.stringify(user.username)}, password: ${JSON.stringify(user.password)} }`,
        `  tls: { ca: ${JSON.stringify(REFERENCE_CA_FILE)} }`,
        '',
      ].join('\n'),
    )
    try {
      const args = ['doctor', '--target', 'foreign-login', '--targets', file, '--login-driver', 'http']
      const result = await runCli(args)
      expect(result.code).toBe(3)
      expect(result.stdout).toMatch(/^ {2}fail login: .*refused to send credentials to http:\/\/127\.0\.0\.1:\d+/m)
      expect(result.stdout).toMatch(/^ {7}fix: if that origin is the server's own login page, add it to credential_origins/m)
      expect(result.stdout).not.toContain(user.password)
      expect(posts).toEqual([])
    } finally {
      await new Promise<void>((resolve) => foreign.close(() => resolve()))
    }
  })

  it('says registration.iat is needed when a bare URL meets a server that wants a token', async () => {
    const toy = await startToyServer('good', { requireIat: true })
    try {
      const result = await runCli(['doctor', '--target', toy.issuer, '--login-driver', 'http'])
      expect(result.code).toBe(3)
      expect(result.stdout).toMatch(/fail registration: .* answered 401 to a registration without a token: it needs an initial access token, and registration\.iat is not set/)
      expect(result.stdout).toMatch(/fix: set registration\.iat in targets\.yaml/)
      expect(result.stderr).toMatch(/registration\.iat/)
    } finally {
      await toy.close()
    }
  })
})
