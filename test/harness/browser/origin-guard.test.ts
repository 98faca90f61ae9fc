import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCallbackServer } from '../../../harness/browser/callback-server.ts'
import { type CallbackServer } from '../../../harness/browser/callback-server.ts'
import { LoginError } from '../../../harness/browser/login-error.ts'
import { resolveLoginRecipe } from '../../../harness/browser/login-recipe.ts'
import { navigationRefusal, REFUSED_HOST_PATTERNS } from '../../../harness/browser/origin-guard.ts'
import { refusedHostsSwitch } from '../../../harness/browser/origin-guard.ts'
import { createPlaywrightDriver } from '../../../harness/browser/playwright-driver.ts'
import { HarnessError } from '../../../harness/errors.ts'
import { isLinkLocalOrMetadata } from '../../../harness/http/origin-policy.ts'
import type { ResolvedTarget } from '../../../harness/model/target.ts'
import { launchTestChromium } from './support/chromium.ts'

const PASSWORD = 'origin-guard-password-5c1e'

describe('origin guard: the refused hosts', () => {
  it('makes every address origin-policy.ts refuses unresolvable, and nothing when allowed', () => {
    // One sample host per pattern, with `?` and `*` filled in: the patterns mirror the policy.
    const samples = REFUSED_HOST_PATTERNS.map((pattern) => {
      const host = pattern.replaceAll('?', 'f').replaceAll('*', '1')
      return host.includes(':') ? `[${host}]` : host // a URL's IPv6 hostname has brackets
    })
    for (const host of samples) expect(isLinkLocalOrMetadata(host), host).toBe(true)
    const [flag] = refusedHostsSwitch(false)
    expect(flag).toMatch(/^--host-resolver-rules=MAP 169\.254\.\*\.\* ~NOTFOUND, MAP fe8\?:\* ~NOTFOUND/)
    expect(flag?.split(', ')).toHaveLength(REFUSED_HOST_PATTERNS.length)
    expect(refusedHostsSwitch(true)).toEqual([])
  })

  it('refuses a navigation to a metadata address unless the target allows it', () => {
    expect(navigationRefusal('http://169.254.169.254/latest/', false)).toBe(
      'refused to contact http://169.254.169.254: a link-local or cloud metadata address (set allow_link_local in targets.yaml to allow it)',
    )
    expect(navigationRefusal('http://[fe80::1]:8080/x', undefined)).toMatch(/refused to contact http:\/\/\[fe80::1\]:8080/)
    expect(navigationRefusal('http://169.254.169.254/latest/', true)).toBeUndefined()
    expect(navigationRefusal('http://127.0.0.1:3000/authorize', false)).toBeUndefined()
  })
})

/** A loopback server answering by `answer`, recording every request with its body. */
async function startServer(answer: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const requests: { method: string; url: string; body: string }[] = []
  const server: Server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk: Buffer) => (body += chunk.toString()))
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', body })
      answer(req, res, body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { origin, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

/** The requests a server got, as `METHOD /path`, leaving out Chromium's favicon requests. */
const pageRequests = (server: { requests: { method: string; url: string }[] }): string[] =>
  server.requests
    .map((r) => `${r.method} ${new URL(r.url, 'http://x').pathname}`)
    .filter((line) => !line.endsWith('/favicon.ico'))

const loginPage = (action: string, buttonAction = '') => `<!doctype html><html><body>
<form method="post" action="${action}"><label>Username <input name="username"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit" ${buttonAction ? `formaction="${buttonAction}"` : ''}>Login</button></form></body></html>`

describe('origin guard: the Playwright driver', () => {
  let browser: Browser
  let callback: CallbackServer
  let artifactsDir: string
  let target: Awaited<ReturnType<typeof startServer>>
  let foreign: Awaited<ReturnType<typeof startServer>>

  beforeAll(async () => {
    foreign = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x')
      if (url.pathname === '/favicon.ico') return void res.writeHead(404).end()
      // A login page hosted on the foreign origin (posting back to it).
      if (url.pathname === '/login-page') {
        const to = encodeURIComponent(url.searchParams.get('to') ?? '')
        res.writeHead(200, { 'content-type': 'text/html' }).end(loginPage(`/login?to=${to}`))
        return
      }
      // An allowed login origin: sends the browser on to the redirect URI with a code.
      const redirect = url.searchParams.get('to') ?? ''
      res.writeHead(302, { location: `${redirect}?code=c-1&state=s-1` }).end()
    })
    target = await startServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x')
      const to = encodeURIComponent(url.searchParams.get('redirect_uri') ?? '')
      if (url.pathname === '/metadata') {
        res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end()
      } else if (url.pathname === '/foreign-form') {
        res.writeHead(200, { 'content-type': 'text/html' }).end(loginPage(`${foreign.origin}/login?to=${to}`))
      } else if (url.pathname === '/login-307' && req.method === 'GET') {
        // A login form posting home, answered with a 307 to the foreign origin.
        res.writeHead(200, { 'content-type': 'text/html' }).end(loginPage(`/login-307?to=${to}`))
      } else if (url.pathname === '/login-307') {
        const back = encodeURIComponent(url.searchParams.get('to') ?? '')
        res.writeHead(307, { location: `${foreign.origin}/login?to=${back}` }).end()
      } else if (url.pathname === '/foreign-login-page') {
        res.writeHead(302, { location: `${foreign.origin}/login-page?to=${to}` }).end()
      } else if (url.pathname === '/foreign-button') {
        res.writeHead(200, { 'content-type': 'text/html' }).end(loginPage('/login', `${foreign.origin}/login?to=${to}`))
      } else res.writeHead(404).end()
    })
    ;[browser, callback] = await Promise.all([
      launchTestChromium(),
      startCallbackServer(),
    ])
    artifactsDir = await mkdtemp(join(tmpdir(), 'brw-origin-guard-'))
  })
  afterAll(async () => {
    await browser?.close()
    await Promise.all([callback?.close(), target?.close(), foreign?.close()])
    await rm(artifactsDir, { recursive: true, force: true })
  })

  const authorize = async (path: string, overrides: Partial<ResolvedTarget> = {}) => {
    const login = { username: 'alice', password: PASSWORD }
    const resolved: ResolvedTarget = {
      name: 'guarded',
      issuer: target.origin,
      metadata: {},
      endpoints: {},
      capabilities: [],
      login,
      ...overrides,
    }
    const driver = createPlaywrightDriver(browser, {
      recipe: resolveLoginRecipe(login),
      callback,
      target: resolved,
      ignoreHttpsErrors: false,
      artifactsDir,
      timeoutMs: 15_000,
      stepTimeoutMs: 5_000,
    })
    const scenarioId = `guard${path}`
    const redirectUri = callback.urlFor(scenarioId)
    const url = `${target.origin}${path}?redirect_uri=${encodeURIComponent(redirectUri)}`
    try {
      return await driver.authorize({ url, redirectUri, login: true, scenarioId })
    } finally {
      await driver.close()
    }
  }

  /** The error an authorization throws, which must be a LoginError caused by E_ORIGIN. */
  const refusalOf = async (promise: Promise<unknown>): Promise<string> => {
    const error = await promise.then(
      () => new Error('the authorization was not refused'),
      (thrown: unknown) => thrown,
    )
    expect(error).toBeInstanceOf(LoginError)
    expect((error as LoginError).cause).toBeInstanceOf(HarnessError)
    expect(((error as LoginError).cause as HarnessError).code).toBe('E_ORIGIN')
    return (error as LoginError).message
  }

  it('refuses to submit the password to a form action at a foreign origin', async () => {
    const message = await refusalOf(authorize('/foreign-form'))
    expect(message).toMatch(
      new RegExp(`^browser login: POST ${foreign.origin}/login\\?to=\\S+ failed: refused to send credentials to ${foreign.origin}: not the issuer's origin \\(allow it with credential_origins in targets.yaml\\)$`),
    )
    expect(foreign.requests).toEqual([])
  })

  it('refuses a submit button whose formaction is at a foreign origin', async () => {
    const message = await refusalOf(authorize('/foreign-button'))
    expect(message).toContain(`refused to send credentials to ${foreign.origin}`)
    expect(foreign.requests).toEqual([])
  })

  it('submits to a foreign origin that credential_origins allows', async () => {
    const before = foreign.requests.length
    const outcome = await authorize('/foreign-form', { credential_origins: [foreign.origin] })
    expect(outcome).toMatchObject({ redirected: true, query: { code: 'c-1', state: 's-1' } })
    const posted = foreign.requests.slice(before)
    expect(posted.map((request) => request.method)).toEqual(['POST'])
    expect(new URLSearchParams(posted[0]?.body).get('password')).toBe(PASSWORD)
    foreign.requests.length = 0
  })

  it('refuses a redirect to the cloud metadata address, which Chromium never resolves', async () => {
    const message = await refusalOf(authorize('/metadata'))
    expect(message).toBe(
      'browser login: GET http://169.254.169.254/latest/meta-data/ failed: refused to contact http://169.254.169.254: a link-local or cloud metadata address (set allow_link_local in targets.yaml to allow it)',
    )
  })

  it('fails a 307 that would re-send the login POST to a foreign origin before Chromium follows it', async () => {
    foreign.requests.length = 0
    const message = await refusalOf(authorize('/login-307'))
    expect(message).toMatch(
      new RegExp(
        `^browser login: POST ${foreign.origin}/login\\?to=\\S+ \\(a 307 redirect from ${target.origin}\\) failed: ` +
          `refused to send credentials to ${foreign.origin}: not the issuer's origin \\(allow it with credential_origins in targets.yaml\\)$`,
      ),
    )
    // The password reached the target (allowed), never the foreign origin.
    expect(target.requests.some((r) => r.method === 'POST' && r.body.includes(PASSWORD))).toBe(true)
    expect(foreign.requests).toEqual([])
  })

  it('follows that 307 when credential_origins allows the foreign origin', async () => {
    foreign.requests.length = 0
    const outcome = await authorize('/login-307', { credential_origins: [foreign.origin] })
    expect(outcome).toMatchObject({ redirected: true, query: { code: 'c-1' } })
    expect(foreign.requests.map((r) => [r.method, new URLSearchParams(r.body).get('password')])).toEqual([
      ['POST', PASSWORD],
    ])
  })

  it('refuses to fill the login recipe into a page on a foreign origin', async () => {
    foreign.requests.length = 0
    const message = await refusalOf(authorize('/foreign-login-page'))
    expect(message).toMatch(
      new RegExp(
        `^browser login: login step 1 \\(fill label "Username"\\) on ${foreign.origin}/login-page\\?to=\\S+: ` +
          `refused to send credentials to ${foreign.origin}: not the issuer's origin \\(allow it with credential_origins in targets.yaml\\)$`,
      ),
    )
    // The page was shown (a GET), nothing was posted to it.
    expect(pageRequests(foreign)).toEqual(['GET /login-page'])
  })

  it('logs in on a foreign login page that credential_origins allows', async () => {
    foreign.requests.length = 0
    const outcome = await authorize('/foreign-login-page', { credential_origins: [foreign.origin] })
    expect(outcome).toMatchObject({ redirected: true, query: { code: 'c-1' } })
    expect(pageRequests(foreign)).toEqual(['GET /login-page', 'POST /login'])
  })
})
