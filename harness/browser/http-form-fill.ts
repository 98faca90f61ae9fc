/**
 * Filling a login form without a browser (http-form-flow.ts): the recipe's fields found by label
 * or simple selector, else by their role (username, password), and the button to submit with.
 */
import type { LoginStep } from '../model/target.ts'
import {
  findButton,
  findControlByLabel,
  findControlBySelector,
  formData,
  type FormButton,
  type FormControl,
  type HtmlForm,
} from './html-forms.ts'
import {
  DEFAULT_CONSENT_NAME,
  fillValueRole,
  renderLoginValue,
  type ResolvedLoginRecipe,
} from './login-recipe.ts'

const USERNAME_NAMES = /^(username|user_?name|user|login|email|identifier|j_username)$/i
const TEXT_TYPES = new Set(['text', 'email', 'tel', ''])

/** The username field when the recipe's label or selector does not find one. */
function guessUsernameControl(form: HtmlForm): FormControl | undefined {
  const candidates = form.controls.filter(
    (control) => control.tag === 'input' && TEXT_TYPES.has(control.type),
  )
  return candidates.find((control) => USERNAME_NAMES.test(control.name)) ?? candidates[0]
}

function locate(
  form: HtmlForm,
  step: { label?: string; selector?: string },
): FormControl | undefined {
  if (step.label) {
    const byLabel = findControlByLabel(form, step.label)
    if (byLabel) return byLabel
  }
  if (step.selector) return findControlBySelector(form, step.selector)
  return undefined
}

function clickButton(form: HtmlForm, steps: LoginStep[]): FormButton | undefined {
  for (const step of [...steps].reverse()) {
    if (!('click' in step)) continue
    const { name, selector } = step.click
    const selected =
      (name ? findButton(form, name) : undefined) ??
      (selector?.startsWith('#')
        ? form.buttons.find((button) => `#${button.id}` === selector)
        : undefined)
    if (selected) return selected
  }
  return form.buttons[0]
}

/** Fill the login form by the recipe: labels or simple selectors, else by the field's role. */
export function fillLoginForm(form: HtmlForm, recipe: ResolvedLoginRecipe): URLSearchParams {
  const fills = new Map<FormControl, string>()
  const fillSteps = recipe.steps.flatMap((step) => ('fill' in step ? [step.fill] : []))
  const withRoles =
    fillSteps.length > 0
      ? fillSteps
      : [{ value: '${{ login.username }}' }, { value: '${{ login.password }}' }]
  for (const fill of withRoles) {
    const role = fillValueRole(fill.value)
    const control =
      locate(form, fill) ??
      (role === 'password' ? form.controls.find((c) => c.type === 'password') : undefined) ??
      (role === 'username' ? guessUsernameControl(form) : undefined)
    if (!control) {
      const what = fill.label
        ? `labelled "${fill.label}"`
        : `matching ${fill.selector ?? '(no selector)'}`
      throw new Error(`the login form has no field ${what}`)
    }
    fills.set(control, renderLoginValue(fill.value, recipe))
  }
  return formData(form, fills, clickButton(form, recipe.steps))
}

export function consentMatcher(recipe: ResolvedLoginRecipe): string | RegExp {
  return recipe.consent?.name ?? DEFAULT_CONSENT_NAME
}

/** A request the flow makes next: a redirect followed, or a form submitted. */
export interface NextRequest {
  method: string
  url: string
  body?: string
}

/** A form's submission as the browser would send it. */
export function submission(form: HtmlForm, data: URLSearchParams): NextRequest {
  if (form.method === 'POST') return { method: 'POST', url: form.action, body: data.toString() }
  const url = new URL(form.action)
  url.search = data.toString()
  url.hash = ''
  return { method: 'GET', url: url.href }
}
