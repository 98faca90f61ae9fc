/**
 * Running a login recipe in a Playwright page: declarative steps, consent, or a script module.
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Locator, Page } from 'playwright-core'
import { HarnessError } from '../errors.ts'
import type { LoginStep, ResolvedTarget } from '../model/target.ts'
import { DEFAULT_CONSENT_NAME, renderLoginValue, type ResolvedLoginRecipe } from './login-recipe.ts'

/** What a login script's `login(page, ctx)` receives. */
export interface LoginScriptContext {
  username?: string
  password?: string
  /** The authorization request URL. */
  url: string
  redirectUri: string
  target: ResolvedTarget
}

export function describeStep(step: LoginStep): string {
  if ('fill' in step)
    return `fill ${step.fill.label ? `label "${step.fill.label}"` : step.fill.selector}`
  if ('click' in step) {
    const { role, name, selector } = step.click
    return `click ${selector ?? `${role ?? 'button'} "${name ?? ''}"`}`
  }
  return `wait for ${step.wait.url ? `URL ${step.wait.url}` : step.wait.selector}`
}

/** The field by its label, or by its selector; when both are given, either (label first). */
function fillLocator(page: Page, step: { label?: string; selector?: string }): Locator {
  const byLabel = step.label ? page.getByLabel(step.label, { exact: true }) : undefined
  const bySelector = step.selector ? page.locator(step.selector) : undefined
  if (byLabel && bySelector) return byLabel.or(bySelector)
  const locator = byLabel ?? bySelector
  if (!locator) throw new HarnessError('E_CONFIG', 'a login fill step needs a label or a selector')
  return locator
}

/** The element by role and name, or by its selector; when both are given, either. */
function clickLocator(
  page: Page,
  click: { role?: string; name?: string; selector?: string },
): Locator {
  const role = (click.role ?? 'button') as Parameters<Page['getByRole']>[0]
  const byRole =
    click.name !== undefined || !click.selector
      ? page.getByRole(role, click.name === undefined ? {} : { name: click.name, exact: true })
      : undefined
  const bySelector = click.selector ? page.locator(click.selector) : undefined
  if (byRole && bySelector) return byRole.or(bySelector)
  return (byRole ?? bySelector) as Locator
}

/** A URL pattern: `/regex/` or a Playwright glob. */
function urlPattern(pattern: string): string | RegExp {
  const regex = /^\/(.+)\/([a-z]*)$/.exec(pattern)
  return regex ? new RegExp(regex[1] ?? '', regex[2]) : pattern
}

/** What the driver does around the recipe's steps. */
export interface StepHooks {
  /** Called just before the last click (the one that submits), to tell its navigation apart. */
  beforeSubmit(): void
  /**
   * Called before every fill and click; throws (a HarnessError) when the step must not act on
   * the page: a page, or a form target, whose origin may not receive credentials (origin-guard.ts).
   */
  beforeAct(step: LoginStep, index: number): Promise<void>
}

/** Run one step; `act` runs just before it fills or clicks (an optional click may not). */
async function runStep(
  page: Page,
  recipe: ResolvedLoginRecipe,
  step: LoginStep,
  timeoutMs: number,
  act: () => Promise<void>,
): Promise<void> {
  if ('fill' in step) {
    const field = fillLocator(page, step.fill).first()
    await act()
    await field.fill(renderLoginValue(step.fill.value, recipe), { timeout: timeoutMs })
  } else if ('click' in step) {
    const locator = clickLocator(page, step.click).first()
    if (step.click.optional && !(await locator.isVisible())) return
    await act()
    await locator.click({ timeout: timeoutMs })
  } else if (step.wait.url) {
    await page.waitForURL(urlPattern(step.wait.url), { timeout: step.wait.timeout_ms ?? timeoutMs })
  } else if (step.wait.selector) {
    await page
      .locator(step.wait.selector)
      .first()
      .waitFor({ timeout: step.wait.timeout_ms ?? timeoutMs })
  }
}

/** Run the declarative steps (see StepHooks for what the driver does around them). */
export async function runLoginSteps(
  page: Page,
  recipe: ResolvedLoginRecipe,
  timeoutMs: number,
  hooks: StepHooks,
): Promise<void> {
  const lastClick = recipe.steps.findLastIndex((step) => 'click' in step)
  for (const [index, step] of recipe.steps.entries()) {
    const act = async (): Promise<void> => {
      await hooks.beforeAct(step, index)
      if (index === lastClick) hooks.beforeSubmit()
    }
    try {
      await runStep(page, recipe, step, timeoutMs, act)
    } catch (error) {
      if (error instanceof HarnessError) throw error
      const reason = (error as Error).message.split('\n')[0]
      throw new Error(`login step ${index + 1} (${describeStep(step)}) failed: ${reason}`, {
        cause: error,
      })
    }
  }
  if (lastClick < 0) hooks.beforeSubmit()
}

/** Import the recipe's script and call its `login(page, ctx)`. */
export async function runLoginScript(
  page: Page,
  recipe: ResolvedLoginRecipe,
  context: LoginScriptContext,
): Promise<void> {
  const file = resolve(recipe.script ?? '')
  const module = (await import(pathToFileURL(file).href).catch((error: unknown) => {
    // The package runs compiled JavaScript: a TypeScript script needs a Node that strips types.
    if ((error as NodeJS.ErrnoException).code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new HarnessError(
        'E_CONFIG',
        `login script ${file}: this Node.js cannot import it; write it in JavaScript (.js, .mjs)`,
      )
    }
    throw error
  })) as { login?: unknown }
  if (typeof module.login !== 'function') {
    throw new HarnessError(
      'E_CONFIG',
      `login script ${file} does not export a function login(page, ctx)`,
    )
  }
  await (module.login as (page: Page, ctx: LoginScriptContext) => Promise<void>)(page, context)
}

/** The consent button: the recipe's, else a button named Continue/Allow/Accept/Authorize/Yes. */
export function consentLocator(page: Page, recipe: ResolvedLoginRecipe): Locator {
  const consent = recipe.consent
  if (consent?.selector) return page.locator(consent.selector).first()
  if (consent?.name) return clickLocator(page, { role: consent.role, name: consent.name }).first()
  return page.getByRole('button', { name: DEFAULT_CONSENT_NAME }).first()
}

/** Whether the page shows a login form this recipe can fill. */
export async function showsLoginForm(page: Page, recipe: ResolvedLoginRecipe): Promise<boolean> {
  if (await page.locator('input[type=password]').first().isVisible()) return true
  const first = recipe.steps[0]
  // A recipe that starts by waiting (a page rendered by script) is trusted to know its page.
  if (first && 'wait' in first) return true
  if (first && 'fill' in first) {
    try {
      return await fillLocator(page, first.fill).first().isVisible()
    } catch {
      return false
    }
  }
  return false
}
