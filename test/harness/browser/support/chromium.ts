/** The installed Chromium for a test file's browser tests: they fail, never skip, without one. */
import type { Browser } from 'playwright-core'
import { discoverBrowser } from '../../../../harness/browser/discovery.ts'
import { launchChromium } from '../../../../harness/browser/playwright-driver.ts'

export async function launchTestChromium(): Promise<Browser> {
  const found = await discoverBrowser()
  if (!found.executable) {
    throw new Error(`these tests need Chromium (looked in ${found.looked.join(', ')})`)
  }
  return launchChromium({ executablePath: found.executable })
}
