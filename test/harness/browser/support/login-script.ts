/** A login script module for the recipe's `script` option (used by the Playwright driver test). */
import type { Page } from 'playwright-core'
import type { LoginScriptContext } from '../../../../harness/browser/login-steps.ts'

export async function login(page: Page, ctx: LoginScriptContext): Promise<void> {
  if (!ctx.redirectUri.includes('/callback/')) throw new Error('the script did not get the request')
  await page.locator('#u').fill(ctx.username ?? '')
  await page.locator('#p').fill(ctx.password ?? '')
  await page.locator('button').click()
}
