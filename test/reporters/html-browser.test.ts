/**
 * The HTML report in real Chromium, opened from file:// (issue 11, acceptance 4): the filters
 * hide what they should, an anchor opens the scenario it names, the failing step's screenshot
 * is embedded, nothing overflows at 390 px, and the page logs no error (a CSP violation would).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { discoverBrowser } from '../../harness/browser/discovery.ts'
import { launchChromium } from '../../harness/browser/playwright-driver.ts'
import { createRedactor } from '../../harness/redact.ts'
import { createHtmlReporter } from '../../reporters/html.ts'
import { redactingReporter } from '../../reporters/redacting.ts'
import { replay, sampleReport, sampleScenarios } from './sample-report.ts'

let browser: Browser
let dir: string
let reportUrl: string

/** The sample report, its errored login step carrying a real screenshot and a trace. */
async function writeReport(): Promise<string> {
  const page = await browser.newPage({ viewport: { width: 200, height: 120 } })
  await page.setContent('<body style="background:#c00;margin:0"><h1>login page</h1></body>')
  const shot = join(dir, 'artifacts', 'login-failure-1.png')
  await page.screenshot({ path: shot })
  await page.close()
  const scenarios = sampleScenarios()
  const login = scenarios.find((s) => s.id === 'authorize/code-flow')?.steps[0]
  if (!login) throw new Error('sample changed')
  login.artifacts = [
    { name: 'login-failure.png', path: shot, contentType: 'image/png' },
    {
      name: 'playwright-trace.zip',
      path: join(dir, 'artifacts', 'trace-1.zip'),
      contentType: 'application/zip',
    },
  ]
  const path = join(dir, 'out', 'report.html')
  const reporter = createHtmlReporter({ path })
  await replay(redactingReporter(reporter, createRedactor()), sampleReport({ scenarios }))
  return path
}

/** Opens the report, collecting console errors and page errors. */
async function open(width: number): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 800 } })
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(reportUrl)
  return { page, errors }
}

const visibleIds = (page: Page) =>
  page.$$eval('details.scn', (all) =>
    all.filter((el) => !(el as HTMLElement).hidden).map((el) => el.id.slice(2)),
  )

beforeAll(async () => {
  const found = await discoverBrowser()
  if (!found.executable)
    throw new Error(`this test needs Chromium (looked in ${found.looked.join(', ')})`)
  browser = await launchChromium({ executablePath: found.executable })
  dir = await mkdtemp(join(tmpdir(), 'html-report-'))
  await writeFile(join(dir, 'placeholder'), '')
  reportUrl = pathToFileURL(await writeReport()).href
}, 60_000)

afterAll(async () => {
  await browser?.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('HTML report in Chromium', () => {
  it('filters by outcome, folder, requirement, level and search', async () => {
    const { page, errors } = await open(1200)
    expect(await visibleIds(page)).toHaveLength(9)
    await page.uncheck('input[name=outcome][value=passed]')
    const withoutPassed = await visibleIds(page)
    expect(withoutPassed).toHaveLength(7)
    expect(withoutPassed).not.toContain('registration/basic')
    await page.check('input[name=outcome][value=passed]')
    await page.selectOption('select[name=folder]', 'registration')
    expect((await visibleIds(page)).sort()).toEqual([
      'registration/basic',
      'registration/cache-control',
      'registration/redirect-uris',
      'registration/software-statement',
      'registration/status-201',
    ])
    await page.selectOption('select[name=requirement]', 'R6749-5.1-b')
    expect(await visibleIds(page)).toEqual(['registration/cache-control'])
    await page.selectOption('select[name=requirement]', '')
    await page.selectOption('select[name=level]', 'should')
    expect((await visibleIds(page)).sort()).toEqual([
      'registration/cache-control',
      'registration/status-201',
    ])
    await page.selectOption('select[name=level]', '')
    await page.selectOption('select[name=folder]', '')
    await page.fill('input[name=q]', 'software-statement')
    expect(await visibleIds(page)).toEqual(['registration/software-statement'])
    expect(await page.textContent('#shown')).toBe('1 of 9 scenarios shown')
    expect(errors).toEqual([])
    await page.close()
  })

  it('links from a failure to its details and opens them', async () => {
    const { page, errors } = await open(1200)
    const details = page.locator('details.scn[id="s-registration/status-201"]')
    expect(await details.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(false)
    await page.click('#failures a[href="#s-registration/status-201"]')
    expect(await details.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true)
    expect(page.url().endsWith('#s-registration/status-201')).toBe(true)
    await expect.poll(() => details.isVisible()).toBe(true)
    // The requirement table links each requirement to its spec section.
    const spec = page.locator('tr[id="r-R7591-3.2.1-a"] a[href^="https://www.rfc-editor.org/"]')
    expect(await spec.getAttribute('href')).toBe(
      'https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1',
    )
    // A deep link opens the scenario on load, even one the filters would hide.
    await page.goto(`${reportUrl}#s-token/refresh`)
    const refresh = page.locator('details.scn[id="s-token/refresh"]')
    expect(await refresh.evaluate((el) => (el as HTMLDetailsElement).open)).toBe(true)
    expect(errors).toEqual([])
    await page.close()
  })

  it('embeds the failing step screenshot, links its trace relative to the report', async () => {
    const { page, errors } = await open(1200)
    await page.goto(`${reportUrl}#s-authorize/code-flow`)
    const image = page.locator('img.shot')
    expect(await image.count()).toBe(1)
    expect(await image.getAttribute('src')).toMatch(/^data:image\/png;base64,/)
    expect(await image.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(200)
    expect(await page.getAttribute('a:text("playwright-trace.zip")', 'href')).toBe(
      '../artifacts/trace-1.zip',
    )
    expect(errors).toEqual([])
    await page.close()
  })

  it('does not overflow horizontally at 390 px, with every scenario open', async () => {
    const { page, errors } = await open(390)
    await page.$$eval('details', (all) =>
      all.forEach((el) => ((el as HTMLDetailsElement).open = true)),
    )
    const widths = await page.evaluate(() => ({
      document: document.documentElement.scrollWidth,
      body: document.body.scrollWidth,
      viewport: window.innerWidth,
    }))
    expect(widths.viewport).toBe(390)
    expect(widths.document).toBeLessThanOrEqual(390)
    expect(widths.body).toBeLessThanOrEqual(390)
    expect(errors).toEqual([])
    await page.close()
  })
})
