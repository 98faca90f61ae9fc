import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveLoginRecipe } from '../../../harness/browser/login-recipe.ts'
import {
  mayLogInOrConsent,
  readAsStatic,
  readPageShape,
} from '../../../harness/browser/page-shape.ts'
import { launchTestChromium } from './support/chromium.ts'

describe('page shape', () => {
  let browser: Browser
  let page: Page
  beforeAll(async () => {
    browser = await launchTestChromium()
    page = await browser.newPage()
  })
  afterAll(async () => {
    await browser.close()
  })

  const shapeOf = async (html: string) => {
    await page.setContent(html)
    return readPageShape(page)
  }

  it('reads a plain error page as one nothing could act on and that stays', async () => {
    const shape = await shapeOf('<h1>invalid_request</h1><p>redirect_uri is not registered</p>')
    expect(shape).toEqual({ actionable: false, mayNavigate: false })
    expect(mayLogInOrConsent(shape, resolveLoginRecipe(undefined))).toBe(false)
  })

  it.each([
    ['actionable', '<form><input name=u></form>'],
    ['actionable', '<button>Allow</button>'],
    ['actionable', '<a href="/next">continue</a>'],
    ['actionable', '<div role=button>Allow</div>'],
    ['actionable', '<div onclick="go()">Allow</div>'],
    // Scripts, handlers, a meta refresh and frames: a page that may move on by itself.
    ['mayNavigate', '<p>wait</p><script>void 0</script>'],
    ['mayNavigate', '<meta http-equiv="Refresh" content="0; url=/x"><p>wait</p>'],
    ['mayNavigate', '<body onload="void 0"><p>wait</p></body>'],
    ['mayNavigate', '<p>wait</p><img alt="" src="data:," onerror="void 0">'],
    ['mayNavigate', '<p>wait</p><iframe src="about:blank"></iframe>'],
  ] as const)('sees %s in %s', async (flag, html) => {
    expect((await shapeOf(html))?.[flag]).toBe(true)
  })

  it('sees an open shadow root as actionable', async () => {
    await page.setContent('<div id=host></div>')
    await page.evaluate(() => {
      const root = document.getElementById('host')!.attachShadow({ mode: 'open' })
      root.innerHTML = '<p>only text here</p>'
    })
    expect((await readPageShape(page))?.actionable).toBe(true)
  })

  it('remembers a page read as static until its main frame navigates', async () => {
    const other = await browser.newPage()
    const show = (html: string) => other.goto(`data:text/html,${encodeURIComponent(html)}`)
    expect(readAsStatic(other)).toBe(false) // never read
    await show('<h1>invalid_request</h1>')
    await readPageShape(other)
    expect(readAsStatic(other)).toBe(true)
    await show('<h1>another page</h1>')
    expect(readAsStatic(other)).toBe(false) // navigated since
    await readPageShape(other)
    expect(readAsStatic(other)).toBe(true)
    await show('<p>wait</p><script>void 0</script>')
    await readPageShape(other)
    expect(readAsStatic(other)).toBe(false) // read, but it may run
    await other.close()
  })

  it('gives up on a page that does not answer (a busy loop) within its bound', async () => {
    const busy = await browser.newPage()
    await busy.setContent('<p>busy</p><script>setTimeout(() => { for (;;) {} }, 20)</script>')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await readPageShape(busy)).toBeUndefined()
    await busy.close({ runBeforeUnload: false })
  })

  it('trusts recipes that know their pages: a script, a first wait, a consent selector or role', () => {
    const plain = { actionable: false, mayNavigate: false }
    expect(mayLogInOrConsent(plain, resolveLoginRecipe({ script: './login.mjs' }))).toBe(true)
    const waits = resolveLoginRecipe({ steps: [{ wait: { selector: '#login' } }] })
    expect(mayLogInOrConsent(plain, waits)).toBe(true)
    expect(mayLogInOrConsent(plain, resolveLoginRecipe({ consent: { selector: '.ok' } }))).toBe(true)
    const byRole = resolveLoginRecipe({ consent: { role: 'link', name: 'Allow' } })
    expect(mayLogInOrConsent(plain, byRole)).toBe(true)
    expect(mayLogInOrConsent(undefined, resolveLoginRecipe(undefined))).toBe(true)
  })
})
