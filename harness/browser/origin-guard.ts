/**
 * The credential origin policy (harness/http/origin-policy.ts) in the real browser. Chromium
 * follows redirects and submits forms by itself, and a Playwright route never sees a redirect
 * hop, so the browser driver guards four moments instead:
 * - refused addresses never resolve: a `--host-resolver-rules` switch at launch fails every
 *   request to them (redirect hops, frames and subresources included) with no per-request cost;
 * - a recipe step fills or clicks only on a page whose origin may receive credentials
 *   (`recipeGuard`, run before every fill and click by login-steps.ts);
 * - the login form's resolved action is checked just before the click that would send the
 *   password, so that a form posting elsewhere is never submitted;
 * - a 307/308 answer that would make Chromium re-send a credential-bearing body to another
 *   origin is failed before Chromium follows it (redirect-guard.ts).
 * A login script (`login.script`) is the user's own code: only the first and last moments
 * guard it.
 * Limit: behind a proxy Chromium does not resolve hosts itself, so the switch cannot act there;
 * the page watch still refuses to go on (page-watch.ts `refused`).
 */
import type { Page } from 'playwright-core'
import { isLinkLocalOrMetadata, type OriginPolicy } from '../http/origin-policy.ts'
import type { LoginStep } from '../model/target.ts'
import { HarnessError } from '../errors.ts'
import { describeStep } from './login-steps.ts'

/**
 * Host patterns (Chromium's, IPv6 without brackets) of the addresses origin-policy.ts
 * `isLinkLocalOrMetadata` refuses: 169.254/16, fe80::/10 and the cloud metadata hosts.
 */
export const REFUSED_HOST_PATTERNS: readonly string[] = Object.freeze([
  '169.254.*.*',
  'fe8?:*',
  'fe9?:*',
  'fea?:*',
  'feb?:*',
  'metadata.google.internal',
  '100.100.100.200',
  'fd00:ec2::254',
])

/** The Chromium switch that makes refused addresses unresolvable; none when the target allows them. */
export function refusedHostsSwitch(allowLinkLocal: boolean | undefined): string[] {
  if (allowLinkLocal) return []
  const rules = REFUSED_HOST_PATTERNS.map((pattern) => `MAP ${pattern} ~NOTFOUND`).join(', ')
  return [`--host-resolver-rules=${rules}`]
}

/** Why the browser must not load `url` (a refused address), or undefined. */
export function navigationRefusal(url: string, allowLinkLocal: boolean | undefined): string | undefined {
  if (allowLinkLocal) return undefined
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return undefined
  }
  if (!isLinkLocalOrMetadata(parsed.hostname)) return undefined
  return `refused to contact ${parsed.origin}: a link-local or cloud metadata address (set allow_link_local in targets.yaml to allow it)`
}

/**
 * Why a login recipe must not act on the page at `url` (issue 10: recipe steps act only where
 * credentials may go): the page's origin is one the policy refuses credentials to.
 */
export function pageRefusal(url: string, policy: OriginPolicy): string | undefined {
  // The body only marks the request as credential-bearing: the policy judges the origin.
  return policy.refusal({ url, headers: {}, body: 'password=' })
}

/**
 * The driver's guard before every fill and click of a recipe (login-steps.ts StepHooks): the
 * page must be on an allowed origin, and a click must not submit the password elsewhere.
 */
export function recipeGuard(
  page: Page,
  policy: OriginPolicy,
  password: string | undefined,
): (step: LoginStep, index: number) => Promise<void> {
  return async (step, index) => {
    const url = page.url()
    const onPage = pageRefusal(url, policy)
    if (onPage) {
      const what = `login step ${index + 1} (${describeStep(step)})`
      throw new HarnessError('E_ORIGIN', `${what} on ${url}: ${onPage}`)
    }
    if (!('click' in step)) return
    const refusal = await submissionRefusal(page, policy, password)
    if (refusal) throw new HarnessError('E_ORIGIN', refusal)
  }
}

/** Where each form holding the password would send it: its action and its buttons' formactions. */
interface Submission {
  method: string
  url: string
}

/**
 * Why submitting the page's login form would break the policy (`POST <url> failed: <reason>`,
 * the HTTP-form driver's wording), or undefined. A form holds the password when one of its
 * fields has it, or is a filled password field. One evaluate: a few ms per login.
 */
export async function submissionRefusal(
  page: Page,
  policy: OriginPolicy,
  password: string | undefined,
): Promise<string | undefined> {
  const submissions: Submission[] = await page.evaluate((secret) => {
    const found: { method: string; url: string }[] = []
    const forms = new Set<HTMLFormElement>()
    for (const input of Array.from(document.querySelectorAll('input'))) {
      const holds = input.value !== '' && (input.type === 'password' || input.value === secret)
      if (holds && input.form) forms.add(input.form)
    }
    for (const form of forms) {
      found.push({ method: form.method, url: form.action })
      for (const element of Array.from(form.elements)) {
        if (!element.hasAttribute('formaction')) continue
        const button = element as HTMLButtonElement
        found.push({ method: button.formMethod || form.method, url: button.formAction })
      }
    }
    return found
  }, password ?? null)
  for (const { method, url } of submissions) {
    const refusal = policy.refusal({ url, headers: {}, body: 'password=' })
    if (refusal) return `${method.toUpperCase()} ${url} failed: ${refusal}`
  }
  return undefined
}
