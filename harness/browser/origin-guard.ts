/**
 * The credential origin policy (harness/http/origin-policy.ts) in the real browser. Chromium
 * follows redirects and submits forms by itself, and a Playwright route never sees a redirect
 * hop, so the browser driver guards two moments instead:
 * - refused addresses never resolve: a `--host-resolver-rules` switch at launch fails every
 *   request to them (redirect hops, frames and subresources included) with no per-request cost;
 * - the login form's resolved action is checked just before the click that would send the
 *   password (login-steps.ts), so that a form posting elsewhere is never submitted.
 * Limit: behind a proxy Chromium does not resolve hosts itself, so the switch cannot act there;
 * the page watch still refuses to go on (page-watch.ts `refused`).
 */
import type { Page } from 'playwright-core'
import { createOriginPolicy, isLinkLocalOrMetadata, type OriginPolicy } from '../http/origin-policy.ts'
import type { TargetConfig } from '../types.ts'

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

/** The target's policy, as harness/run-suite.ts builds it for the HTTP client. */
export function browserOriginPolicy(target: TargetConfig): OriginPolicy {
  return createOriginPolicy({
    issuer: target.issuer,
    credentialOrigins: target.credential_origins ?? [],
    ...(target.allow_link_local ? { allowLinkLocal: true } : {}),
  })
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
