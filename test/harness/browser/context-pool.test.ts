import type { EventEmitter } from 'node:events'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { createContextPool, type ContextPool } from '../../../harness/browser/context-pool.ts'
import { startStorageServer } from './support/storage-server.ts'
import { launchTestChromium } from './support/chromium.ts'
import { forFile } from '../../support/for-file.ts'

/** What a page of `origin` still sees of earlier scenarios. */
async function leftovers(page: Page, origin: string) {
  const cookies = (await page.context().cookies()).map((cookie) => cookie.name)
  await page.goto(`${origin}/`)
  const storage = await page.evaluate(() => ({
    local: localStorage.getItem('k'),
    session: sessionStorage.getItem('k'),
  }))
  return { ...storage, cookies }
}

const [browser, server] = await Promise.all([
  forFile(launchTestChromium()),
  forFile(startStorageServer()),
])

/** A pool of the file's browser for one test, closed whatever the test does. */
async function withPool(test: (pool: ContextPool) => Promise<void>): Promise<void> {
  const pool = createContextPool(browser, { ignoreHttpsErrors: false, stepTimeoutMs: 5_000 })
  try {
    await test(pool)
  } finally {
    await pool.close()
  }
}

describe('the context pool', () => {
  it('gives a scenario its own lease and the next scenario the same one, cleared', async () => {
    await withPool(async (pool) => {
      const first = await pool.lease('s/one')
      expect(first.isNew).toBe(true)
      expect((await pool.lease('s/one')).lease).toBe(first.lease)
      const page = await first.lease.page()
      await page.goto(`${server.origin}/`)
      await page.evaluate(() => localStorage.setItem('k', 'local'))
      await pool.release('s/one')

      const second = await pool.lease('s/two')
      expect(second.isNew).toBe(true)
      expect(second.lease).toBe(first.lease)
      const again = await second.lease.page()
      // No sessionStorage was written: the page itself is reused.
      expect(again).toBe(page)
      expect(await leftovers(again, server.origin)).toEqual({ local: null, session: null, cookies: [] })
    })
  })

  it("keeps a lease's page subscribed to the network events a watch listens to", async () => {
    await withPool(async (pool) => {
      const page = await (await pool.lease('s/watched')).lease.page()
      // A watch's listeners come and go per authorization; the subscriptions stay (page-watch.ts).
      // Playwright's Page is an EventEmitter at run time; its type does not say so.
      const emitter = page as unknown as EventEmitter
      for (const event of ['request', 'requestfinished', 'response'] as const) {
        expect(emitter.listenerCount(event), event).toBeGreaterThan(0)
      }
      await pool.release('s/watched')
    })
  })

  it('lets the next scenario wait for a lease still being cleared, cleared, not open another', async () => {
    await withPool(async (pool) => {
      const first = await pool.lease('s/one')
      const page = await first.lease.page()
      await page.goto(`${server.origin}/`)
      await page.evaluate(() => localStorage.setItem('k', 'local'))
      await first.lease.context.addCookies([{ name: 'sid', value: 'one', url: server.origin }])
      const contexts = browser.contexts().length
      const released = pool.release('s/one') // not awaited, as the driver does
      const second = await pool.lease('s/two')
      expect(second.lease).toBe(first.lease)
      expect(browser.contexts()).toHaveLength(contexts)
      expect(await leftovers(await second.lease.page(), server.origin)).toEqual({
        local: null,
        session: null,
        cookies: [],
      })
      await released
    })
  })

  it('releases a scenario whose lease is still coming, while another scenario waits too', async () => {
    // A step given up on (a timeout, an interrupt) may release its scenario while the lease it
    // asked for is still waiting for a clearing: that release must not become a clearing others
    // wait for, or the two would wait on each other for ever.
    await withPool(async (pool) => {
      const first = await pool.lease('s/one')
      await first.lease.page()
      void pool.release('s/one')
      const third = pool.lease('s/three') // waits first, so it gets the cleared lease
      const second = pool.lease('s/two')
      const released = pool.release('s/two') // s/two's lease is still coming
      expect((await third).lease).toBe(first.lease)
      await released
      await second
      await pool.release('s/three')
    })
  })

  it('sends a page that may still run something to about:blank, and leaves a static one', async () => {
    await withPool(async (pool) => {
      const { lease } = await pool.lease('s/one')
      const page = await lease.page()
      await page.goto(`${server.origin}/scripted`)
      await pool.release('s/one')
      expect(page.url()).toBe('about:blank')
      await pool.lease('s/two')
      await page.goto(`${server.origin}/`)
      await pool.release('s/two')
      expect(page.url()).toBe(`${server.origin}/`)
    })
  })

  it('quiets a page after an authorization: one that may still act goes to about:blank', async () => {
    await withPool(async (pool) => {
      const { lease } = await pool.lease('s/one')
      const page = await lease.page()
      await page.goto(`${server.origin}/scripted`)
      await lease.quietPage()
      expect(page.url()).toBe('about:blank')
      await page.goto(`${server.origin}/`)
      await lease.quietPage()
      expect(page.url()).toBe(`${server.origin}/`)
      // A Refresh header, which the page itself does not show, is the caller's to tell.
      await lease.quietPage({ active: true })
      expect(page.url()).toBe('about:blank')
    })
  })

  it('replaces a page that wrote sessionStorage (it cannot be cleared in place)', async () => {
    await withPool(async (pool) => {
      const { lease } = await pool.lease('s/one')
      const page = await lease.page()
      await page.goto(`${server.origin}/`)
      await page.evaluate(() => sessionStorage.setItem('k', 'session'))
      await expect.poll(async () => page.evaluate(() => sessionStorage.length)).toBe(1)
      await pool.release('s/one')
      const next = await pool.lease('s/two')
      const fresh = await next.lease.page()
      expect(fresh).not.toBe(page)
      expect(page.isClosed()).toBe(true)
      expect(await leftovers(fresh, server.origin)).toEqual({ local: null, session: null, cookies: [] })
    })
  })

  it('runs the authorizations of one lease one after the other', async () => {
    await withPool(async (pool) => {
      const { lease } = await pool.lease('initial-access-token')
      const events: string[] = []
      let releaseFirst = (): void => {}
      const first = lease.exclusive(async () => {
        events.push('first starts')
        await new Promise<void>((resolve) => (releaseFirst = resolve))
        events.push('first ends')
      })
      const second = lease.exclusive(async () => {
        events.push('second starts')
      })
      await Promise.resolve()
      releaseFirst()
      await Promise.all([first, second])
      expect(events).toEqual(['first starts', 'first ends', 'second starts'])
    })
  })
})
