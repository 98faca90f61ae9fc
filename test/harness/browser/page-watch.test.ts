import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCallbackServer, type CallbackServer } from '../../../harness/browser/callback-server.ts'
import { discoverBrowser } from '../../../harness/browser/discovery.ts'
import { watchPage } from '../../../harness/browser/page-watch.ts'
import { launchChromium } from '../../../harness/browser/playwright-driver.ts'
import { startStorageServer, type StorageServer } from './support/storage-server.ts'

describe('watching a page', () => {
  let browser: Browser
  let server: StorageServer
  let callback: CallbackServer
  beforeAll(async () => {
    const found = await discoverBrowser()
    if (!found.executable)
      throw new Error(`these tests need Chromium (looked in ${found.looked.join(', ')})`)
    ;[browser, server, callback] = await Promise.all([
      launchChromium({ executablePath: found.executable }),
      startStorageServer(),
      startCallbackServer(),
    ])
  })
  afterAll(async () => {
    await browser?.close()
    await Promise.all([server?.close(), callback?.close()])
  })

  it('records how long each hop took, not 0', async () => {
    const context = await browser.newContext()
    try {
      const page = await context.newPage()
      const watch = watchPage(page, {
        redirectUri: callback.urlFor('watch/timing'),
        callback,
        deadline: Date.now() + 10_000,
      })
      await page.goto(`${server.origin}/slow?ms=60`, { waitUntil: 'load' })
      await page.goto(`${server.origin}/redirect`, { waitUntil: 'load' })
      watch.stop()
      const hops = watch.exchanges.map((e) => [new URL(e.request.url).pathname, e.response?.status])
      expect(hops).toEqual([
        ['/slow', 200],
        ['/redirect', 302],
        ['/', 200],
      ])
      // The slow page answered after 60 ms: its exchange cannot have taken less.
      expect(watch.exchanges[0]!.durationMs).toBeGreaterThanOrEqual(60)
      for (const exchange of watch.exchanges) expect(exchange.durationMs).toBeGreaterThan(0)
    } finally {
      await context.close()
    }
  })
})
