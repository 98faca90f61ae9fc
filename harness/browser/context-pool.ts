/**
 * Browser contexts and pages kept for reuse: a scenario leases one (context plus page) for its
 * authorizations and gives it back when it ends; the lease is then cleared (cookies, the storage
 * of every origin its frames showed) and the next scenario gets it. A new page costs a renderer
 * process (hundreds of ms of CPU); clearing a used one costs a few ms. At most as many leases
 * exist as scenarios use the browser at once.
 *
 * Storage that cannot be cleared without loading the origin again (sessionStorage lives in the
 * tab) is watched instead: a page that wrote any is closed, never reused.
 */
import type { Browser, BrowserContext, CDPSession, Frame, Page } from 'playwright-core'
import { readAsStatic, readPageShape } from './page-shape.ts'
import { keepWatchSubscriptions } from './page-watch.ts'

export interface Lease {
  readonly context: BrowserContext
  /** The page the lease's authorizations use (created again after it was closed). */
  page(): Promise<Page>
  /** Close the current page (it may still be navigating); the next `page()` opens a new one. */
  dropPage(): Promise<void>
  /**
   * Send the page to about:blank unless what it shows cannot run anything (page-shape.ts), so
   * that no script of a server's page acts after its authorization; a page that does not get
   * there is closed. `active`: the caller knows the page may still act (a `Refresh` header).
   */
  quietPage(options?: { active?: boolean }): Promise<void>
  /** Runs `work` after every earlier `exclusive` call on this lease (one page, one flow). */
  exclusive<T>(work: () => Promise<T>): Promise<T>
}

export interface ContextPool {
  /** The scenario's lease: its own while it runs, else a cleared one from the pool. */
  lease(scenarioId: string): Promise<{ lease: Lease; isNew: boolean }>
  /**
   * The scenario is done: clear its lease and keep it for the next scenario. A lease asked for
   * before the clearing ends waits for it, so the caller need not.
   */
  release(scenarioId: string): Promise<void>
  close(): Promise<void>
}

/** Set-up of every new page, once, with its CDP session (the driver's guards, redirect-guard.ts). */
export type PageSetUp = (page: Page, cdp: CDPSession) => Promise<void>

/** How long a page may take to show about:blank before it is closed instead. */
const BLANK_TIMEOUT_MS = 5_000

/** Storage kinds Chromium clears per origin without a page (cookies are cleared per context). */
const ORIGIN_STORAGE = 'local_storage,indexeddb,service_workers,cache_storage,file_systems,websql'

/**
 * Whether the page shows nothing that could still run: blank, our callback page, or static (as
 * read during the authorization, when nothing navigated since, else read now).
 */
async function isQuiet(page: Page, quietOrigin: string | undefined): Promise<boolean> {
  const shown = page.url()
  if (shown === 'about:blank' || (quietOrigin && shown.startsWith(`${quietOrigin}/`))) return true
  return readAsStatic(page) || (await readPageShape(page))?.mayNavigate === false
}

class PooledLease implements Lease {
  #page: Promise<Page> | undefined
  #cdp: CDPSession | undefined
  /** Origins whose documents ran in this lease's frames since the last clearing. */
  readonly #origins = new Set<string>()
  #wroteSessionStorage = false
  #queue: Promise<unknown> = Promise.resolve()
  readonly context: BrowserContext

  readonly #setUpPage: PageSetUp | undefined
  /** Our callback server's origin: its page runs nothing after it reported. */
  readonly #quietOrigin: string | undefined

  constructor(context: BrowserContext, setUpPage?: PageSetUp, quietOrigin?: string) {
    this.context = context
    this.#setUpPage = setUpPage
    this.#quietOrigin = quietOrigin
  }

  page(): Promise<Page> {
    this.#page ??= this.#open().catch((error: unknown) => {
      this.#page = undefined
      throw error
    })
    return this.#page.then(async (page) => {
      if (!page.isClosed()) return page
      this.#page = undefined
      return this.page()
    })
  }

  async #open(): Promise<Page> {
    const page = await this.context.newPage()
    keepWatchSubscriptions(page)
    page.on('framenavigated', (frame: Frame) => this.#saw(frame.url()))
    // Storage events tell which pages wrote sessionStorage (see the file comment).
    const cdp = await this.context.newCDPSession(page)
    cdp.on('DOMStorage.domStorageItemAdded', (event) => {
      if (!event.storageId.isLocalStorage) this.#wroteSessionStorage = true
    })
    await cdp.send('DOMStorage.enable')
    await this.#setUpPage?.(page, cdp)
    this.#cdp = cdp
    this.#wroteSessionStorage = false
    return page
  }

  #saw(url: string): void {
    if (url.startsWith('http:') || url.startsWith('https:')) this.#origins.add(new URL(url).origin)
  }

  async dropPage(): Promise<void> {
    const page = await this.#page?.catch(() => undefined)
    this.#page = undefined
    this.#cdp = undefined
    await page?.close().catch(() => {})
  }

  async quietPage(options: { active?: boolean } = {}): Promise<void> {
    const page = await this.#page?.catch(() => undefined)
    if (!page || page.isClosed()) return
    if (!options.active && (await isQuiet(page, this.#quietOrigin))) return
    try {
      await page.goto('about:blank', { timeout: BLANK_TIMEOUT_MS })
    } catch {
      await this.dropPage()
    }
  }

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work)
    this.#queue = run.catch(() => undefined)
    return run
  }

  /**
   * Clear what the last scenario left; false when the lease cannot be reused. The page is
   * quieted (quietPage) so that nothing of a target's document runs on into the next scenario; a
   * static page (an error page) and our own callback page stay, as a navigation costs more.
   */
  async clear(): Promise<boolean> {
    try {
      const page = await this.#page?.catch(() => undefined)
      if (page && !page.isClosed() && !this.#wroteSessionStorage) {
        await this.quietPage()
      } else {
        await this.dropPage()
      }
      // Our callback page stores nothing: only the target's origins need clearing.
      const origins = [...this.#origins].filter((origin) => origin !== this.#quietOrigin)
      this.#origins.clear()
      // A new page for the next scenario when this one was dropped.
      if (origins.length > 0) await this.page()
      // Independent clearings, sent together: Chromium answers them in one wait, not in turn.
      await Promise.all([
        ...origins.map((origin) =>
          this.#cdp?.send('Storage.clearDataForOrigin', { origin, storageTypes: ORIGIN_STORAGE }),
        ),
        this.context.clearCookies(),
      ])
      return true
    } catch {
      return false
    }
  }
}

export function createContextPool(
  browser: Browser,
  options: {
    ignoreHttpsErrors: boolean
    stepTimeoutMs: number
    /** The loopback callback server's origin: its page runs nothing after it reported. */
    quietOrigin?: string
    setUpPage?: PageSetUp
  },
): ContextPool {
  const byScenario = new Map<string, Promise<PooledLease>>()
  /** Scenarios' leases that have come (a released one still coming is not cleared yet). */
  const obtained = new WeakSet<Promise<PooledLease>>()
  const free: PooledLease[] = []
  /**
   * Leases being cleared, their scenario's lease obtained: each settles to the lease (kept) or
   * undefined. Only these are waited for by a new lease (takeFree), never a lease a released
   * scenario is still obtaining (that one may itself wait for a clearing).
   */
  const clearing = new Set<Promise<PooledLease | undefined>>()
  /** Releases still running, which close() waits for. */
  const releasing = new Set<Promise<void>>()
  const all = new Set<PooledLease>()
  let closed = false

  async function create(): Promise<PooledLease> {
    const context = await browser.newContext({ ignoreHTTPSErrors: options.ignoreHttpsErrors })
    if (closed) {
      await context.close().catch(() => {})
      throw new Error('the browser context pool is closed')
    }
    context.setDefaultTimeout(options.stepTimeoutMs)
    const lease = new PooledLease(context, options.setUpPage, options.quietOrigin)
    all.add(lease)
    return lease
  }

  /** A cleared lease: a free one, else the next one being cleared; undefined when there is none. */
  async function takeFree(): Promise<PooledLease | undefined> {
    for (;;) {
      const lease = free.pop()
      if (lease || clearing.size === 0) return lease
      // The clearing's own continuation (clearObtained) puts it in `free` before a waiter resumes.
      await Promise.race(clearing)
    }
  }

  /** Clear an obtained lease once its last authorization ended; keep it, or close it. */
  function clearObtained(obtainedLease: Promise<PooledLease>): Promise<void> {
    const cleared = (async () => {
      const lease = await obtainedLease
      await lease.exclusive(async () => undefined)
      if (await lease.clear()) return lease
      all.delete(lease)
      await lease.context.close().catch(() => {})
      return undefined
    })().catch(() => undefined)
    clearing.add(cleared)
    return cleared.then((kept) => {
      clearing.delete(cleared)
      if (kept && !closed) free.push(kept)
    })
  }

  return {
    async lease(scenarioId) {
      if (closed) throw new Error('the browser context pool is closed')
      const existing = byScenario.get(scenarioId)
      if (existing) return { lease: await existing, isNew: false }
      const next = takeFree().then((lease) => lease ?? create())
      next.then(() => obtained.add(next), () => undefined)
      byScenario.set(scenarioId, next)
      try {
        return { lease: await next, isNew: true }
      } catch (error) {
        byScenario.delete(scenarioId)
        throw error
      }
    },
    async release(scenarioId) {
      const pending = byScenario.get(scenarioId)
      byScenario.delete(scenarioId)
      if (!pending) return
      // A lease asked for meanwhile waits for this one's clearing rather than opening a context.
      const released = obtained.has(pending)
        ? clearObtained(pending)
        : pending.then(() => clearObtained(pending), () => undefined)
      releasing.add(released)
      await released
      releasing.delete(released)
    },
    async close() {
      closed = true
      await Promise.all(releasing)
      const open = [...all]
      all.clear()
      free.length = 0
      byScenario.clear()
      await Promise.all(open.map((lease) => lease.context.close().catch(() => {})))
    },
  }
}
