import { readFile, stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { startCallbackServer } from '../../../harness/browser/callback-server.ts'
import { LoginError } from '../../../harness/browser/login-error.ts'
import { resolveLoginRecipe } from '../../../harness/browser/login-recipe.ts'
import { createPlaywrightDriver } from '../../../harness/browser/playwright-driver.ts'
import type { LoginRecipe } from '../../../harness/model/target.ts'
import { startMiniAuthServer, type MiniAuthServer } from './support/mini-auth-server.ts'
import { pngDimensions } from './support/png.ts'
import { authorizationUrl, miniTarget } from './support/targets.ts'
import { launchTestChromium } from './support/chromium.ts'
import { forFile, tempFolderForFile } from '../../support/for-file.ts'

const credentials = { username: 'alice', password: 'alice-password' }

const [browser, reference, oidcProvider, callback] = await Promise.all([
  forFile(launchTestChromium()),
  forFile(startMiniAuthServer()),
  forFile(startMiniAuthServer({ style: 'oidc-provider' })),
  forFile(startCallbackServer()),
])
const artifactsDir = await tempFolderForFile('brw-playwright-')

/** One login-driven authorization request to `server`, through a fresh driver closed after it. */
interface Attempt {
  server: MiniAuthServer
  scenarioId: string
  /** Authorization request parameters besides redirect_uri (support/targets.ts sets the rest). */
  params?: Record<string, string>
  login?: LoginRecipe
  trace?: boolean
  artifactsDir?: string
}

describe('Playwright login driver', () => {
  const driverFor = (server: MiniAuthServer, login: LoginRecipe = credentials, trace = false) =>
    createPlaywrightDriver(browser, {
      recipe: resolveLoginRecipe(login),
      callback,
      target: miniTarget(server),
      ignoreHttpsErrors: false,
      artifactsDir,
      trace,
      timeoutMs: 15_000,
      stepTimeoutMs: 2_000,
    })

  /** The outcome and the callback's redirect URI for the attempt's scenario id. */
  const authorizeOnce = async (attempt: Attempt) => {
    const redirectUri = callback.urlFor(attempt.scenarioId)
    const driver = driverFor(attempt.server, attempt.login, attempt.trace)
    try {
      const outcome = await driver.authorize({
        url: authorizationUrl(attempt.server, { redirect_uri: redirectUri, ...attempt.params }),
        redirectUri,
        login: true,
        scenarioId: attempt.scenarioId,
        ...(attempt.artifactsDir ? { artifactsDir: attempt.artifactsDir } : {}),
      })
      return { outcome, redirectUri }
    } finally {
      await driver.close()
    }
  }

  /** What an attempt that must fail threw (undefined when it did not). */
  const failureOf = (attempt: Attempt) =>
    authorizeOnce(attempt).then(
      () => undefined,
      (caught: unknown) => caught,
    )

  it('logs in with the default recipe and sees every redirect hop, the arrival answered in the browser', async () => {
    const { outcome, redirectUri } = await authorizeOnce({
      server: reference,
      scenarioId: 'browser/reference',
      params: { state: 'b-1' },
    })
    expect(outcome).toMatchObject({ redirected: true, driver: 'browser', query: { state: 'b-1' } })
    expect(reference.codes.has(outcome.query.code ?? '')).toBe(true)
    expect(outcome.url.startsWith(`${redirectUri}?code=`)).toBe(true)
    const hops = outcome.exchanges.map(
      (e) => `${e.request.method} ${new URL(e.request.url).pathname} ${e.response?.status}`,
    )
    expect(hops).toEqual([
      'GET /authorize 200',
      'POST /login 302',
      // callback-intercept.ts answers 204 in the browser; the callback server itself answers 200.
      'GET /callback/browser.reference 204',
    ])
  })

  it('follows an oidc-provider style login with a recipe, consents, and reads a fragment response', async () => {
    const { outcome } = await authorizeOnce({
      server: oidcProvider,
      scenarioId: 'browser/fragment',
      params: { state: 'f', response_mode: 'fragment' },
      login: {
        ...credentials,
        steps: [
          { fill: { selector: 'input[name=login]', value: '${{ login.username }}' } },
          { fill: { selector: 'input[name=password]', value: '${{ login.password }}' } },
          { click: { role: 'button', name: 'Sign-in' } },
        ],
      },
    })
    expect(outcome).toMatchObject({ redirected: true, query: { state: 'f' } })
    expect(outcome.url).toMatch(/#code=/)
    expect(oidcProvider.codes.has(outcome.query.code ?? '')).toBe(true)
    expect(outcome.exchanges.some((e) => e.request.url.includes('/consent/'))).toBe(true)
  })

  it('logs in on an oidc-provider style page with the default recipe and reads a form_post response', async () => {
    const afterId = callback.lastHitId()
    const { outcome } = await authorizeOnce({
      server: oidcProvider,
      scenarioId: 'browser/form-post',
      params: { state: 'fp', response_mode: 'form_post' },
    })
    expect(outcome).toMatchObject({ redirected: true, query: { state: 'fp' } })
    expect(oidcProvider.codes.has(outcome.query.code ?? '')).toBe(true)
    const hit = await callback.waitForHit({
      path: '/callback/browser.form-post',
      afterId,
      timeoutMs: 1000,
    })
    expect(hit).toMatchObject({ method: 'POST', form: { code: outcome.query.code } })
  })

  it('runs a login script module with the credentials', async () => {
    const script = fileURLToPath(new URL('./support/login-script.ts', import.meta.url))
    const { outcome } = await authorizeOnce({
      server: reference,
      scenarioId: 'browser/script',
      params: { state: 'sc' },
      login: { ...credentials, script },
    })
    expect(outcome).toMatchObject({ redirected: true, query: { state: 'sc' } })
    expect(reference.codes.has(outcome.query.code ?? '')).toBe(true)
  })

  it('returns the status and HTML of a page that does not redirect', async () => {
    const { outcome } = await authorizeOnce({
      server: reference,
      scenarioId: 'browser/error',
      params: { client_id: 'unknown' },
    })
    expect(outcome).toMatchObject({ redirected: false, status: 400, query: {} })
    expect(outcome.body).toContain('unknown client')
  })

  it('records the status of a 4xx with an empty body (no net::ERR_HTTP_RESPONSE_CODE_FAILURE)', async () => {
    // A loopback server answering every request 400 with no body at all, as some servers
    // answer an unknown client or redirect URI.
    const empty = createServer((_request, response) => {
      response.writeHead(400, {
        'content-length': '0',
        'x-frame-options': 'DENY',
        'content-security-policy': "frame-ancestors 'none'",
      })
      response.end()
    })
    await new Promise<void>((resolve) => empty.listen(0, '127.0.0.1', () => resolve()))
    try {
      const { port } = empty.address() as AddressInfo
      const driver = driverFor(reference)
      const redirectUri = callback.urlFor('browser/empty-400')
      for (const login of [false, true]) {
        const outcome = await driver.authorize({
          url: `http://127.0.0.1:${port}/authorize?client_id=unknown&redirect_uri=${encodeURIComponent(redirectUri)}`,
          redirectUri,
          login,
          scenarioId: 'browser/empty-400',
        })
        expect(outcome).toMatchObject({ redirected: false, status: 400, query: {}, body: '' })
        expect(outcome.url).toBe(`http://127.0.0.1:${port}/authorize?client_id=unknown&redirect_uri=${encodeURIComponent(redirectUri)}`)
        const last = outcome.exchanges.at(-1)
        expect(last?.response?.status).toBe(400)
        // The page's headers are recorded (the authorize action reads framing headers there).
        expect(last?.response?.headers['x-frame-options']).toBe('DENY')
      }
      await driver.close()
    } finally {
      await new Promise<void>((resolve) => empty.close(() => resolve()))
    }
  })

  it('answers an arrival at our callback with userinfo before the host in the browser too', async () => {
    const driver = driverFor(reference)
    const redirectUri = callback.urlFor('browser/userinfo').replace('http://', 'http://user@')
    try {
      const outcome = await driver.authorize({
        url: authorizationUrl(reference, { redirect_uri: redirectUri, state: 'u' }),
        redirectUri,
        login: true,
        scenarioId: 'browser/userinfo',
      })
      expect(outcome).toMatchObject({ redirected: true, query: { state: 'u' } })
      // Paused and answered (204): the real page's relative fetch would fail with credentials.
      expect(outcome.exchanges.at(-1)?.response?.status).toBe(204)
    } finally {
      await driver.close()
    }
  })

  it('captures a redirect to a foreign redirect URI without our server', async () => {
    const driver = driverFor(reference)
    const redirectUri = 'http://client.invalid/cb'
    const outcome = await driver.authorize({
      url: authorizationUrl(reference, { redirect_uri: redirectUri, state: 'x' }),
      redirectUri,
      login: true,
      scenarioId: 'browser/foreign',
    })
    await driver.close()
    expect(outcome).toMatchObject({ redirected: true, query: { state: 'x' } })
    expect(outcome.url.startsWith('http://client.invalid/cb?code=')).toBe(true)
  })

  it('answers the arrival at a foreign redirect URI in the browser: nothing reaches it, and the page stays', async () => {
    // A foreign redirect URI that would answer: the code must still never be delivered there.
    const requests: string[] = []
    const foreign = createServer((request, response) => {
      requests.push(`${request.method} ${request.url}`)
      response.writeHead(200).end('ok')
    })
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', () => resolve()))
    const { port } = foreign.address() as AddressInfo
    const redirectUri = `http://127.0.0.1:${port}/cb?tenant=a`
    const driver = driverFor(oidcProvider)
    try {
      const authorize = (params: Record<string, string>) =>
        driver.authorize({
          url: authorizationUrl(oidcProvider, { redirect_uri: redirectUri, ...params }),
          redirectUri,
          login: true,
          scenarioId: 'browser/foreign-answered',
        })
      const first = await authorize({ state: 'q' })
      const pages = browser.contexts().flatMap((context) => context.pages())
      // Again on the same lease, by form_post this time: the POST is answered in the browser too.
      const second = await authorize({ state: 'fp', response_mode: 'form_post' })
      expect(first).toMatchObject({ redirected: true, query: { state: 'q', tenant: 'a' } })
      expect(first.url.startsWith(`http://127.0.0.1:${port}/cb?tenant=a&code=`)).toBe(true)
      expect(second).toMatchObject({ redirected: true, query: { state: 'fp' } })
      for (const outcome of [first, second]) {
        expect(oidcProvider.codes.has(outcome.query.code ?? '')).toBe(true)
      }
      expect(requests).toEqual([])
      expect(pages).toHaveLength(1)
      expect(pages[0]?.isClosed()).toBe(false) // not replaced after either arrival
      expect(browser.contexts().flatMap((context) => context.pages())).toEqual(pages)
    } finally {
      await driver.close()
      await new Promise<void>((resolve) => foreign.close(() => resolve()))
    }
  })

  it('forgets a foreign redirect URI when its authorization ends: a later scenario sent there goes there', async () => {
    const requests: string[] = []
    const foreign = createServer((request, response) => {
      if (request.url !== '/favicon.ico') requests.push(`${request.method} ${request.url}`)
      response.writeHead(200, { 'content-type': 'text/html' }).end('<p>the foreign client</p>')
    })
    // An authorization endpoint that sends the browser wherever `to` says.
    const bouncer = createServer((request, response) => {
      const to = new URL(request.url ?? '/', 'http://x').searchParams.get('to') ?? ''
      response.writeHead(302, { location: to }).end()
    })
    const listen = async (server: ReturnType<typeof createServer>) => {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    }
    const [foreignOrigin, bouncerOrigin] = await Promise.all([listen(foreign), listen(bouncer)])
    const foreignUri = `${foreignOrigin}/cb`
    const sendTo = (to: string) => `${bouncerOrigin}/authorize?to=${encodeURIComponent(to)}`
    const driver = driverFor(reference)
    try {
      const first = await driver.authorize({
        url: sendTo(`${foreignUri}?code=a`),
        redirectUri: foreignUri,
        login: false,
        scenarioId: 'browser/forget-a',
      })
      expect(first).toMatchObject({ redirected: true, query: { code: 'a' } })
      const pages = browser.contexts().flatMap((context) => context.pages())
      await driver.releaseScenario('browser/forget-a')
      // Another scenario, on the same page: its server sends it to the first one's URI.
      const second = await driver.authorize({
        url: sendTo(`${foreignUri}?code=b`),
        redirectUri: callback.urlFor('browser/forget-b'),
        login: false,
        scenarioId: 'browser/forget-b',
      })
      expect(browser.contexts().flatMap((context) => context.pages())).toEqual(pages)
      expect(requests).toEqual(['GET /cb?code=b'])
      expect(second).toMatchObject({ redirected: false, url: `${foreignUri}?code=b`, status: 200 })
    } finally {
      await driver.close()
      await Promise.all(
        [foreign, bouncer].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
      )
    }
  })

  it('attaches a PNG screenshot and the page HTML when a login step fails, and a trace with --trace', async () => {
    const error = await failureOf({
      server: reference,
      scenarioId: 'browser/failing',
      login: { ...credentials, steps: [{ click: { role: 'button', name: 'No such button' } }] },
      trace: true,
      artifactsDir: join(artifactsDir, 'step'),
    })
    expect(error).toBeInstanceOf(LoginError)
    const failure = error as LoginError
    expect(failure.message).toContain('login step 1 (click button "No such button") failed')
    const byType = Object.fromEntries(failure.artifacts.map((a) => [a.contentType, a]))
    const png = await readFile(byType['image/png']?.path ?? '')
    const size = pngDimensions(png)
    expect(size?.width).toBeGreaterThan(0)
    expect(size?.height).toBeGreaterThan(0)
    const html = await readFile(byType['text/html']?.path ?? '', 'utf8')
    expect(html).toContain('<label for="u">Username</label>')
    expect(byType['text/html']?.path.startsWith(join(artifactsDir, 'step'))).toBe(true)
    expect((await stat(byType['application/zip']?.path ?? '')).size).toBeGreaterThan(0)
  })

  it('fails when the login form comes back after the credentials were submitted', async () => {
    const error = await failureOf({
      server: reference,
      scenarioId: 'browser/wrong',
      login: { username: 'alice', password: 'wrong' },
    })
    expect((error as LoginError).message).toContain('login form came back')
    expect((error as LoginError).artifacts.map((a) => a.contentType).sort()).toEqual([
      'image/png',
      'text/html',
    ])
  })
})
