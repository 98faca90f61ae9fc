/**
 * The hostile matrix, part 1 (helpers/matrix.ts lists all 24 behaviours): a discovery document
 * that is hostile. The run cannot start, so README's rule is exit 3 (runtime error: target
 * unreachable), one `error:` line naming the cause, and every report written `errored` with it
 * (issue 10, item 5). Nothing may hang, grow without bound, or crash.
 */
import { readFile } from 'node:fs/promises'
import { describe, it } from 'vitest'
import type { ForeignRecorder } from './helpers/foreign-recorder.ts'
import {
  blackHole,
  bigJson,
  deepJson,
  dripBody,
  endlessBody,
  endlessHeaders,
  headerBomb,
  redirect,
  reset,
} from './helpers/behaviours.ts'
import {
  discoveryDocument,
  isDiscoveryPath,
  type HostileOptions,
  type HostileRequest,
} from './helpers/hostile-target.ts'
import { expectContained, runHostileCase, STALL_LIMITS } from './helpers/matrix.ts'
import { CASE_TIMEOUT_MS } from './helpers/run-case.ts'

const ARGS = ['--grep', '^registration/status-201-created$', '--login-driver', 'http']
const BODY_LIMIT = /response body larger than the limit of 1048576 bytes/
const NO_ANSWER = /no complete answer within 3000 ms/
/** Stalling cases get a short request timeout, so the run ends on its own in seconds. */
const STALLING = { target: { limits: STALL_LIMITS } }
const TLS_DIR = new URL('../../fixtures/tls/', import.meta.url)

/** A target whose discovery URLs answer with `answer` (everything else plainly). */
function atDiscovery(
  answer: (request: HostileRequest) => boolean,
  extra: Omit<HostileOptions, 'handle'> = {},
): (foreign: ForeignRecorder) => HostileOptions {
  return () => ({
    ...extra,
    handle: (request) => (isDiscoveryPath(request.url.pathname) ? answer(request) : false),
  })
}

async function expectRefusedAtStart(
  name: string,
  options: (foreign: ForeignRecorder) => HostileOptions,
  reason: RegExp,
): Promise<void> {
  const context = await runHostileCase(name, options, ARGS)
  expectContained(context, { exit: 3, reason, oneErrorLine: true })
}

const TITLE = 'hostile discovery documents end the run cleanly (exit 3, one error line)'

describe.concurrent(TITLE, { timeout: CASE_TIMEOUT_MS }, () => {
  it('1. huge body: over the 1 MiB limit', async ({ task }) => {
    await expectRefusedAtStart(
      task.name,
      atDiscovery((r) => bigJson(r, 200, discoveryDocument(r.issuer))),
      BODY_LIMIT,
    )
  })

  it('2. drip: one byte at a time, never complete', async ({ task }) => {
    await expectRefusedAtStart(task.name, atDiscovery(dripBody, STALLING), NO_ANSWER)
  })

  it('3. endless body', async ({ task }) => {
    await expectRefusedAtStart(task.name, atDiscovery(endlessBody), BODY_LIMIT)
  })

  it('4. endless headers', async ({ task }) => {
    await expectRefusedAtStart(task.name, atDiscovery(endlessHeaders), /Headers Overflow/)
  })

  it('5. header bomb: 100,000 headers', async ({ task }) => {
    await expectRefusedAtStart(task.name, atDiscovery(headerBomb), /Headers Overflow/)
  })

  it('6. invalid JSON', async ({ task }) => {
    const invalid = (r: HostileRequest) => {
      r.res.writeHead(200, { 'content-type': 'application/json' })
      r.res.end(`{"issuer": "${r.issuer}", "registration_endpoint": `)
      return true
    }
    await expectRefusedAtStart(task.name, atDiscovery(invalid), /HTTP 200, not JSON/)
  })

  it('7. an HTML page where JSON is expected', async ({ task }) => {
    const html = (r: HostileRequest) => {
      r.res.writeHead(200, { 'content-type': 'text/html' })
      r.res.end('<!doctype html><html><body><h1>Welcome</h1></body></html>')
      return true
    }
    await expectRefusedAtStart(task.name, atDiscovery(html), /HTTP 200, not JSON/)
  })

  it('8. redirect loop', async ({ task }) => {
    await expectRefusedAtStart(
      task.name,
      atDiscovery((r) => redirect(r.res, 302, r.url.pathname)),
      // Not followed, so no loop: a 302 is no discovery document.
      /HTTP 302, not JSON/,
    )
  })

  it('9. connection reset', async ({ task }) => {
    const resetting = atDiscovery((r) => reset(r))
    await expectRefusedAtStart(task.name, resetting, /connection reset or closed by the target/)
  })

  it('10. black hole: accepted, never answered', async ({ task }) => {
    await expectRefusedAtStart(task.name, atDiscovery(blackHole, STALLING), NO_ANSWER)
  })

  it('11. self-signed TLS without the CA configured', async ({ task }) => {
    // The test certificate (fixtures/tls) without its CA in tls.ca: as untrusted as a self-signed one.
    const tls = {
      key: await readFile(new URL('server-key.pem', TLS_DIR), 'utf8'),
      cert: await readFile(new URL('server.pem', TLS_DIR), 'utf8'),
    }
    const untrusted = () => ({ tls, capabilities: ['rfc7592', 'delete'] })
    await expectRefusedAtStart(task.name, untrusted, /unable to verify the first certificate/)
  })

  it('12. deeply nested JSON (100k levels)', async ({ task }) => {
    await expectRefusedAtStart(
      task.name,
      atDiscovery((r) => deepJson(r, 200, discoveryDocument(r.issuer))),
      /the body nests deeper than \d+ levels/,
    )
  })
})
