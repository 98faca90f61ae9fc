import { describe, expect, it } from 'vitest'
import { pastErrorPage } from '../../../harness/browser/login-flow.ts'

// Playwright's message when Chromium commits its error page during a page.goto.
const interrupted = new Error(
  'page.goto: Navigation to "https://as.test/authorize" is interrupted by another navigation to ' +
    '"chrome-error://chromewebdata/"',
)

describe('pastErrorPage', () => {
  it('goes on when the document loaded after the error page', () => {
    const now = { loads: 2, url: 'https://as.test/login.html' }
    expect(pastErrorPage(interrupted, 0, now)).toBe(true)
  })

  it('does not while the error page is what the page shows', () => {
    expect(pastErrorPage(interrupted, 0, { loads: 1, url: 'chrome-error://chromewebdata/' })).toBe(
      false,
    )
  })

  it('does not before a document has loaded since the navigation', () => {
    const now = { loads: 3, url: 'https://as.test/login.html' }
    expect(pastErrorPage(interrupted, 3, now)).toBe(false)
  })

  it('does not for another failure (a refused connection stays a failed login)', () => {
    const refused = new Error('page.goto: net::ERR_CONNECTION_REFUSED at https://as.test/authorize')
    expect(pastErrorPage(refused, 0, { loads: 1, url: 'https://as.test/authorize' })).toBe(false)
  })
})
