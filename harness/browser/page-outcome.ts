/**
 * What an authorization in the browser came to, from what the page watch saw (page-watch.ts):
 * the redirect to the redirect URI with its parameters, or the server's own page.
 */
import type { Page } from 'playwright-core'
import { addParameters, responseParameters } from '../oauth/redirect-uri.ts'
import type { PageWatch } from './page-watch.ts'
import type { AuthorizeOutcome } from './types.ts'

/**
 * The server's page. `emptyErrorBody`: the navigation failed on an error status with an empty
 * body, where Chromium substitutes its own error page (which `text()` would then return).
 */
export async function notRedirected(
  page: Page,
  watch: PageWatch,
  emptyErrorBody = false,
): Promise<AuthorizeOutcome> {
  const document = watch.lastDocument
  let body: string
  try {
    body = emptyErrorBody ? '' : document ? await document.text() : await page.content()
  } catch {
    body = await page.content()
  }
  return {
    url: emptyErrorBody && document ? document.url() : page.url(),
    redirected: false,
    query: {},
    driver: 'browser',
    exchanges: watch.exchanges,
    artifacts: [],
    status: document?.status() ?? 0,
    body,
  }
}

/** The redirect: our callback server's hit, or the navigation to a foreign redirect URI. */
export function redirectedOutcome(page: Page, watch: PageWatch): AuthorizeOutcome {
  const base = {
    redirected: true,
    driver: 'browser' as const,
    exchanges: watch.exchanges,
    artifacts: [],
  }
  const hit = watch.hit
  if (hit) {
    // The fragment as reported by the page's script, else as the page's URL shows it.
    const fragment = hit.fragmentReported ? (hit.fragment ?? '') : new URL(page.url()).hash.slice(1)
    const query = { ...hit.query, ...hit.form }
    if (fragment !== '') addParameters(query, new URLSearchParams(fragment))
    return { ...base, url: fragment === '' ? hit.url : `${hit.url}#${fragment}`, query }
  }
  const foreign = watch.foreignRedirect
  const url = foreign?.url() ?? page.url()
  const query = responseParameters(url)
  const posted = foreign?.method() === 'POST' ? foreign.postData() : null
  if (posted) addParameters(query, new URLSearchParams(posted))
  return { ...base, url, query }
}
