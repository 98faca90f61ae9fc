/**
 * The login of the `glewlwyd` target (targets.yaml `login.script`): Glewlwyd's login page is a
 * single-page app that renders its form, and after a login or on an existing session its
 * "Continue" button, only once its scripts have called the API. The declarative steps cannot
 * wait for a button that a reused session's page renders late, so one script does both cases.
 */
const WAIT_MS = 15_000

/** @param {import('playwright-core').Page} page */
export async function login(page, ctx) {
  const password = page.locator('#password')
  // By title: the icon font's glyph is part of the button's accessible name.
  const proceed = page.locator('button[title="Continue to client application"]')
  // Neither (an error page): nothing to do, the harness judges the page.
  if (!(await shown(password.or(proceed).first()))) return
  if (await password.isVisible()) {
    const username = page.locator('#username')
    if (await username.isVisible()) await username.fill(ctx.username)
    await password.fill(ctx.password)
    await page.locator('#loginbut').click()
  }
  if (await shown(proceed)) await proceed.click({ timeout: WAIT_MS })
}

/** @param {import('playwright-core').Locator} locator */
async function shown(locator) {
  return locator.waitFor({ timeout: WAIT_MS }).then(
    () => true,
    () => false,
  )
}
