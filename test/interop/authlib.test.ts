/**
 * Interop: the whole suite against Authlib 1.2 (Python; authlib_server.py, Debian's
 * python3-authlib and python3-flask run by Debian's /usr/bin/python3): registration behind an
 * initial access token, RFC 7592 management, the code flow. Every failure must be one of its
 * documented deviations (expectations/authlib.yaml), and every documented deviation must still
 * happen (support/verdict-gate.ts). .ci/run installs the two packages; without them this file is
 * skipped, saying so.
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { interopTarget, itRunsWithOnlyKnownDeviations } from './support/interop-target.ts'

const PYTHON = '/usr/bin/python3'
const probe = spawnSync(PYTHON, ['-c', 'import authlib, flask; print(authlib.__version__)'], {
  encoding: 'utf8',
})
const version = probe.status === 0 ? probe.stdout.trim() : undefined
const available = version !== undefined
if (!available) {
  process.stderr.write(
    'interop: Authlib skipped: /usr/bin/python3 lacks authlib or flask ' +
      '(apt-get install python3-authlib python3-flask; .ci/run does)\n',
  )
}

describe.skipIf(!available)('interop: Authlib 1.2 (Python)', () => {
  it('is the Authlib 1.2 that expectations/authlib.yaml describes (Debian bookworm)', () => {
    expect(version).toMatch(/^1\.2\./)
  })

  const authlib = interopTarget('authlib')
  const passing = [
    // RFC 7592 on a server nobody here wrote: read, full-replacement update, delete.
    'client-management/read',
    'client-management/update-omitted-members',
    'client-management/delete-kills-credentials',
    // The initial access token, and the code flow with PKCE through our sign-in form.
    'initial-access-token/invalid',
    'code-flow/pkce-verifier-required',
    'code-flow/refresh-rotation-public-client',
  ]
  itRunsWithOnlyKnownDeviations(authlib, {
    minPassed: 70,
    passing,
    alsoExpect: (report) => expect(report.target.issuer).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/),
  })
})
