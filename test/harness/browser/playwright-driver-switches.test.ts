import { describe, expect, it } from 'vitest'
import { launchTestChromium } from './support/chromium.ts'
import { forFile } from '../../support/for-file.ts'

const browser = await forFile(launchTestChromium())

/** Every `--disable-features` list of the running Chromium's command line, in order. */
async function disabledFeatureLists(): Promise<string[][]> {
  const page = await browser.newPage()
  try {
    await page.goto('chrome://version')
    const commandLine = (await page.textContent('#command_line')) ?? ''
    return [...commandLine.matchAll(/--disable-features=(\S+)/g)].map((m) => (m[1] ?? '').split(','))
  } finally {
    await page.close()
  }
}

describe('Chromium switches', () => {
  it("keep Playwright's switched-off features when adding ours (Chromium reads the last list only)", async () => {
    const lists = await disabledFeatureLists()
    expect(lists.length).toBeGreaterThanOrEqual(2)
    const last = lists.at(-1) ?? []
    for (const earlier of lists.slice(0, -1)) {
      expect(earlier.filter((feature) => !last.includes(feature))).toEqual([])
    }
    expect(last).toContain('SpareRendererForSitePerProcess')
    expect(last).toContain('RenderDocument')
  })
})
