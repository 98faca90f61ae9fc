import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContextPool } from '../../../harness/browser/context-pool.ts'
import { discoverBrowser } from '../../../harness/browser/discovery.ts'
import { launchChromium } from '../../../harness/browser/playwright-driver.ts'
import { startStorageServer, type StorageServer } from './support/storage-server.ts'

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

describe('the context pool', () => {
  let browser: Browser
  let server: StorageServer
  beforeAll(async () => {
    const found = await discoverBrowser()
    if (!found.executable)
      throw new Error(`these tests need Chromium (looked in ${found.looked.join(', ')})`)
    ;[browser, server] = await Promise.all([
      launchChromium({ executablePath: found.executable }),
      startStorageServer(),
    ])
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('gives a scenario its own lease and the next scenario the same one, cleared', async () => {
    const pool = createContextPool(browser, { ignoreHttpsErrors: false, stepTimeoutMs: 5_000 })
    try {
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
    } finally {
      await pool.close()
    }
  })

  it('replaces a page that wrote sessionStorage (it cannot be cleared in place)', async () => {
    const pool = createContextPool(browser, { ignoreHttpsErrors: false, stepTimeoutMs: 5_000 })
    try {
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
    } finally {
      await pool.close()
    }
  })

  it('runs the authorizations of one lease one after the other', async () => {
    const pool = createContextPool(browser, { ignoreHttpsErrors: false, stepTimeoutMs: 5_000 })
    try {
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
    } finally {
      await pool.close()
    }
  })
})
