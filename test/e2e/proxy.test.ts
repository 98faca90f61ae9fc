/**
 * A run in an environment that names a proxy (harness/http/proxy.ts): a target on loopback is
 * reached directly, and the run says once which proxy its other requests would take, without the
 * proxy's password.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startToyServer, type ToyServer } from './helpers/toy-server.ts'
import { FIXTURE_SUITES } from './helpers/suite-dir.ts'
import { runCli } from './helpers/streams.ts'

describe('a run with a proxy in its environment', () => {
  let server: ToyServer
  beforeAll(async () => {
    server = await startToyServer('good')
  })
  afterAll(async () => {
    delete process.env['HTTPS_PROXY']
    delete process.env['NO_PROXY']
    await server?.close()
  })

  it('reaches a loopback target directly and names the proxy once, without its password', async () => {
    // Nothing listens on port 9: a request through this proxy would fail. The proxy comes from
    // the process environment (this file runs in a process of its own).
    Object.assign(process.env, {
      HTTPS_PROXY: 'http://alice:s3cret@127.0.0.1:9',
      NO_PROXY: 'idp.corp.test',
    })
    const result = await runCli(['--target', server.issuer, '--suite', FIXTURE_SUITES])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toContain(
      'notice: proxy from the environment: https through http://127.0.0.1:9; bypassed for ' +
        'idp.corp.test,localhost,127.0.0.1,[::1] (NO_PROXY and loopback)',
    )
    expect(result.stdout + result.stderr).not.toContain('s3cret')
  })
})
