/**
 * Browser artifacts without the browser's secrets (issue 10): a `--trace` zip is rewritten with
 * the password, the login cookies (the interaction handle) and the code masked, and read back
 * with the same zip library; a failed login's screenshot masks the elements showing a secret.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { unzipSync, zipSync } from 'fflate'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { captureFailure } from '../../../harness/browser/artifacts.ts'
import { startCallbackServer, type CallbackServer } from '../../../harness/browser/callback-server.ts'
import { discoverBrowser } from '../../../harness/browser/discovery.ts'
import { resolveLoginRecipe } from '../../../harness/browser/login-recipe.ts'
import { createPlaywrightDriver, launchChromium } from '../../../harness/browser/playwright-driver.ts'
import { browserSecrets, maskTraceEntries, redactTraceZip } from '../../../harness/browser/trace.ts'
import { createRedactor } from '../../../harness/redact.ts'
import type { Exchange } from '../../../harness/model/result.ts'
import type { ResolvedTarget } from '../../../harness/model/target.ts'

const token = (prefix: string): string => `${prefix}-${randomBytes(9).toString('base64url')}`
const PASSWORD = token('pw')
const HANDLE = token('interaction')
const SESSION = token('session')
const CODE = token('code')
const SECRETS = [PASSWORD, HANDLE, SESSION, CODE]

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text)
const text = (data: Uint8Array): string => Buffer.from(data).toString('utf8')

/** The forms a secret takes in a trace: raw and URL-encoded. */
function leaks(entries: Record<string, Uint8Array>, secrets: readonly string[]): string[] {
  const found: string[] = []
  for (const [name, data] of Object.entries(entries)) {
    const content = Buffer.from(data).toString('latin1')
    for (const secret of secrets) {
      if (content.includes(secret) || content.includes(encodeURIComponent(secret))) found.push(`${name}: ${secret}`)
    }
  }
  return found
}

describe('masking a trace zip', () => {
  it('masks every form of a secret: inside JSON strings only, as bytes elsewhere', () => {
    const secret = 'se cr/et+1234'
    const lines = [
      JSON.stringify({ type: 'action', params: { value: secret }, n: 12345678 }),
      JSON.stringify({ url: `http://x/cb?code=${encodeURIComponent(secret)}` }),
      '{"not json',
    ]
    const resource = utf8(`<input value="${secret}">`)
    const masked = maskTraceEntries(
      { 'trace.trace': utf8(lines.join('\n')), 'resources/a.html': resource, 'resources/b.bin': utf8(`\u0000${secret}\u0001`) },
      [secret],
    )
    expect(leaks(masked, [secret])).toEqual([])
    const traced = text(masked['trace.trace']!).split('\n')
    expect(JSON.parse(traced[0]!)).toEqual({ type: 'action', params: { value: '[REDACTED]' }, n: 12345678 })
    expect(JSON.parse(traced[1]!)).toEqual({ url: 'http://x/cb?code=[REDACTED]' })
    expect(traced[2]).toBe('{"not json')
    expect(text(masked['resources/a.html']!)).toBe(`<input value="${'*'.repeat(secret.length)}">`)
    expect(masked['resources/b.bin']!.length).toBe(secret.length + 2)
  })

  it('takes as secrets the password, cookie values and credential parameters, not short values', () => {
    const exchanges: Exchange[] = [
      {
        request: { method: 'POST', url: 'http://t/login?x=1', headers: { cookie: `_i=${HANDLE}; a=1` }, body: 'password=typed-pass' },
        response: { status: 302, headers: { 'set-cookie': `sid=${SESSION}; Path=/\nflag=ok; Path=/` } },
        durationMs: 1,
      },
      { request: { method: 'GET', url: `http://cb/x?code=${CODE}&state=public-state`, headers: {} }, durationMs: 1 },
    ]
    const secrets = browserSecrets(exchanges, { access_token: 'fragment-token-1', state: 'public-state' }, 'pw')
    expect(secrets.sort()).toEqual(['fragment-token-1', CODE, HANDLE, SESSION, 'pw', 'typed-pass'].sort())
  })
})

describe("redacting a trace zip with the run's redactor", () => {
  it('redacts the text entries, keeps each JSON line valid, and leaves binary entries', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'brw-trace-redact-'))
    try {
      const secret = token('client-secret')
      const redactor = createRedactor()
      redactor.learn(secret)
      const binary = new Uint8Array([0xff, 0xfe, ...utf8(secret)])
      const path = join(dir, 'trace.zip')
      const line = JSON.stringify({ type: 'frame-snapshot', html: ['P', {}, `shown: ${secret}`], n: 1 })
      await writeFile(path, zipSync({ 'trace.trace': utf8(line), 'resources/p.html': utf8(`<p>${secret}</p>`), 'resources/i.png': binary }))
      await redactTraceZip(path, (text) => redactor.redactText(text))
      const entries = unzipSync(new Uint8Array(await readFile(path)))
      expect(JSON.parse(text(entries['trace.trace']!))).toEqual({ type: 'frame-snapshot', html: ['P', {}, 'shown: [REDACTED]'], n: 1 })
      expect(text(entries['resources/p.html']!)).toBe('<p>[REDACTED]</p>')
      expect(Buffer.from(entries['resources/i.png']!).equals(Buffer.from(binary))).toBe(true)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

/** A login server whose every secret the test knows (see the file comment). */
async function startLoginServer(): Promise<{ origin: string; close(): Promise<void> }> {
  const page = (to: string) => `<!doctype html><html><body><form method="post" action="/login?to=${to}">
<input type="hidden" name="interaction" value="${HANDLE}"><label>Username <input name="username"></label>
<label>Password <input name="password" type="password"></label><button type="submit">Login</button></form></body></html>`
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const to = url.searchParams.get('redirect_uri') ?? url.searchParams.get('to') ?? ''
    if (url.pathname === '/authorize') {
      res.writeHead(200, { 'content-type': 'text/html', 'set-cookie': `_interaction=${HANDLE}; Path=/` })
      res.end(page(encodeURIComponent(to)))
    } else if (url.pathname === '/login') {
      const location = `${to}?code=${CODE}&state=s-1`
      res.writeHead(302, { location, 'set-cookie': `session=${SESSION}; Path=/; HttpOnly` }).end()
    } else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe('browser artifacts hold no secret', () => {
  let browser: Browser
  let callback: CallbackServer
  let server: Awaited<ReturnType<typeof startLoginServer>>
  let dir: string
  beforeAll(async () => {
    const found = await discoverBrowser()
    if (!found.executable) throw new Error(`these tests need Chromium (looked in ${found.looked.join(', ')})`)
    ;[browser, callback, server] = await Promise.all([
      launchChromium({ executablePath: found.executable }),
      startCallbackServer(),
      startLoginServer(),
    ])
    dir = await mkdtemp(join(tmpdir(), 'brw-trace-'))
  })
  afterAll(async () => {
    await browser?.close()
    await Promise.all([callback?.close(), server?.close()])
    await rm(dir, { recursive: true, force: true })
  })

  it('writes a --trace zip of a login that holds no password, cookie, handle or code', async () => {
    const login = { username: 'alice', password: PASSWORD }
    const target: ResolvedTarget = { name: 't', issuer: server.origin, metadata: {}, endpoints: {}, capabilities: [], login }
    const driver = createPlaywrightDriver(browser, {
      recipe: resolveLoginRecipe(login),
      callback,
      target,
      ignoreHttpsErrors: false,
      artifactsDir: dir,
      trace: true,
      timeoutMs: 15_000,
      stepTimeoutMs: 5_000,
    })
    const redirectUri = callback.urlFor('trace/login')
    const url = `${server.origin}/authorize?redirect_uri=${encodeURIComponent(redirectUri)}`
    const outcome = await driver
      .authorize({ url, redirectUri, login: true, scenarioId: 'trace/login' })
      .finally(() => driver.close())
    expect(outcome).toMatchObject({ redirected: true, query: { code: CODE } })
    const zip = outcome.artifacts.find((artifact) => artifact.contentType === 'application/zip')
    const entries = unzipSync(new Uint8Array(await readFile(zip?.path ?? '')))
    expect(leaks(entries, SECRETS)).toEqual([])
    // The trace still shows the login: its hops, and the fill whose value was masked.
    expect(text(entries['trace.network']!)).toContain('/login?to=')
    expect(text(entries['trace.trace']!)).toContain('[REDACTED]')
    for (const line of text(entries['trace.trace']!).split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow()
    // No screencast: pixels could not be masked.
    expect(Object.keys(entries).filter((name) => /\.(jpe?g|png)$/.test(name))).toEqual([])
  })

  it('masks the elements showing a secret in a failed login screenshot', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 200 } })
    try {
      const page = await context.newPage()
      const box = 'position:absolute;left:20px;top:20px;width:240px;height:40px;margin:0'
      const shot = async (html: string, secrets: string[]): Promise<Buffer> => {
        await page.setContent(`<body style="margin:0;background:#fff">${html}</body>`)
        const [png] = await captureFailure(page, dir, secrets)
        return readFile(png?.path ?? '')
      }
      const showing = `<div style="${box}">code: ${CODE}</div><input style="position:absolute;left:20px;top:100px;width:240px" value="${PASSWORD}">`
      const masked = await shot(showing, [CODE, PASSWORD])
      // Playwright masks with #FF00FF boxes over the elements: the same page with such boxes.
      const boxes = `<div style="${box};background:#FF00FF"></div><div style="position:absolute;left:20px;top:100px;width:240px;background:#FF00FF" id="f"></div>`
      const expected = await page
        .setContent(`<body style="margin:0;background:#fff">${showing}</body>`)
        .then(async () => {
          const field = await page.locator('input').boundingBox()
          await page.setContent(`<body style="margin:0;background:#fff">${boxes}</body>`)
          await page.locator('#f').evaluate((el, b) => {
            Object.assign((el as HTMLElement).style, { height: `${b?.height}px`, top: `${b?.y}px`, left: `${b?.x}px`, width: `${b?.width}px` })
          }, field)
          return page.screenshot({ fullPage: true })
        })
      expect(masked.equals(expected)).toBe(true)
      // Without the secrets nothing is masked, and the picture differs.
      expect((await shot(showing, [])).equals(expected)).toBe(false)
    } finally {
      await context.close()
    }
  })
})
