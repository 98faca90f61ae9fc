/**
 * (g) Chromium's CPU per navigation with its RenderDocument feature on and off. The harness
 * switches it off (harness/browser/playwright-driver.ts); this shows whether that still pays on
 * the Chromium at hand. One page navigates again and again, as the authorizations of a run do:
 * a 302 to another origin answered 204 in the browser (a session-reuse step's arrival at the
 * callback: nothing commits), then an HTML error page (a refused request: it commits). The CPU
 * is every Chromium process's, from /proc (Linux only).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { discoverBrowser } from '../harness/browser/discovery.ts'
import { CHROMIUM_ARGS } from '../harness/browser/playwright-driver.ts'
import { playwrightCore } from '../harness/browser/playwright-module.ts'
import { pair, pairs, type Pair } from './suite-runs.ts'

const WARM_UP = 5
const NAVIGATIONS = 40
/** Clock ticks per second of /proc/PID/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS = 100

/** CPU seconds of every live process below this one (Chromium and its children). */
function descendantsCpu(): number {
  const parents = new Map<number, number>()
  const cpu = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const fields = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')
      parents.set(Number(entry), Number(fields[1]))
      cpu.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / TICKS)
    } catch {
      // gone meanwhile
    }
  }
  const below = (pid: number): boolean => {
    for (let up = parents.get(pid); up !== undefined && up > 1; up = parents.get(up)) {
      if (up === process.pid) return true
    }
    return false
  }
  return [...cpu].reduce((sum, [pid, seconds]) => (below(pid) ? sum + seconds : sum), 0)
}

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    })
  })
}

/** The switches with RenderDocument left on (taken out of the last --disable-features). */
function withRenderDocument(): string[] {
  return CHROMIUM_ARGS.map((arg) =>
    arg.startsWith('--disable-features=')
      ? arg.replace(/(?<==|,)RenderDocument(?:,|$)/, '').replace(/,$/, '')
      : arg,
  )
}

/** Chromium's CPU milliseconds per navigation, for one launch with these switches. */
async function cpuPerNavigation(executablePath: string, args: string[], origins: string[]) {
  const [target, callback] = origins as [string, string]
  // As the harness launches it (launchChromium): no sandbox as root, where it cannot work.
  const chromiumSandbox = process.getuid?.() !== 0
  const browser = await playwrightCore().chromium.launch({ executablePath, args, chromiumSandbox })
  try {
    const context = await browser.newContext()
    const page = await context.newPage()
    const cdp = await context.newCDPSession(page)
    cdp.on('Fetch.requestPaused', ({ requestId }) => {
      cdp.send('Fetch.fulfillRequest', { requestId, responseCode: 204 }).catch(() => {})
    })
    const pattern = { urlPattern: `${callback}/*`, resourceType: 'Document' as const }
    await cdp.send('Fetch.enable', { patterns: [pattern] })
    const navigate = async () => {
      await page.goto(`${target}/authorize`).catch(() => {}) // the 204 aborts the navigation
      await page.goto(`${target}/error`)
    }
    for (let i = 0; i < WARM_UP; i++) await navigate()
    const before = descendantsCpu()
    for (let i = 0; i < NAVIGATIONS; i++) await navigate()
    return ((descendantsCpu() - before) * 1000) / (2 * NAVIGATIONS)
  } finally {
    await browser.close()
  }
}

export async function renderDocument(runs: number): Promise<Pair | undefined> {
  const found = await discoverBrowser()
  if (!found.executable || !existsSync('/proc/self/stat')) return undefined
  const callbackServer = createServer((_request, response) => response.end())
  const callback = await listen(callbackServer)
  const targetServer = createServer((request, response) => {
    if (request.url === '/authorize') {
      response.writeHead(302, { location: `${callback}/cb?code=x` }).end()
    } else {
      response.writeHead(400, { 'content-type': 'text/html' })
      response.end('<!doctype html><title>Error</title><h1>invalid_request</h1><p>Refused.</p>')
    }
  })
  const origins = [await listen(targetServer), callback]
  try {
    const executable = found.executable
    const values = await pairs(
      runs,
      () => cpuPerNavigation(executable, withRenderDocument(), origins),
      () => cpuPerNavigation(executable, CHROMIUM_ARGS, origins),
    )
    const note = `${NAVIGATIONS} of each kind a launch (a callback arrival, an error page), CPU ms`
    return pair('Chromium CPU per navigation, RenderDocument on / off', values, note)
  } finally {
    callbackServer.close()
    targetServer.close()
  }
}
