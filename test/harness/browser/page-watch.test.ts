import { describe, expect, it } from 'vitest'
import { startCallbackServer } from '../../../harness/browser/callback-server.ts'
import { watchPage } from '../../../harness/browser/page-watch.ts'
import { startStorageServer } from './support/storage-server.ts'
import { launchTestChromium } from './support/chromium.ts'
import { forFile } from '../../support/for-file.ts'

const [browser, server, callback] = await Promise.all([
  forFile(launchTestChromium()),
  forFile(startStorageServer()),
  forFile(startCallbackServer()),
])

describe('watching a page', () => {
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
