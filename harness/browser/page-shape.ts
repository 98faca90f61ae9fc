/**
 * What a server page could lead to, read in one evaluation, so that the flow (login-flow.ts)
 * asks Playwright's locators only about pages where one could match. A locator loads Playwright's
 * selector engine into the page, which costs more than the whole page on a plain error page.
 */
import type { Page, Response } from 'playwright-core'
import type { ResolvedLoginRecipe } from './login-recipe.ts'

export interface PageShape {
  /**
   * The page has an element a login step or a consent click could act on: a form control, a
   * link, anything with a role, editable or clickable by attribute, or an open shadow root
   * (Playwright's locators look inside those).
   */
  actionable: boolean
  /**
   * The page has scripts, inline event handlers, a meta refresh or frames, so it may navigate
   * (or run anything) without a click.
   */
  mayNavigate: boolean
}

/** Elements a fill, a click or a consent locator can match (an implicit or explicit role). */
const ACTIONABLE =
  'input,textarea,select,button,a,area,summary,[role],[contenteditable],[onclick],[tabindex]'

/** Whether a document's answer navigates by itself after a while (an HTTP `Refresh` header). */
export function refreshes(document: Response | undefined): boolean {
  return document?.headers()['refresh'] !== undefined
}

/** How long a page may take to answer; a page that runs a busy loop never does. */
const SHAPE_TIMEOUT_MS = 2_000

/** Per page: main-frame navigations seen, and the count at which a static shape was read. */
interface Sighting {
  navigations: number
  staticAt?: number
}
const sightings = new WeakMap<Page, Sighting>()

/** The page's sighting, counting its main frame's navigations from the first read on. */
function sightingOf(page: Page): Sighting {
  let sighting = sightings.get(page)
  if (!sighting) {
    const seen: Sighting = { navigations: 0 }
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) seen.navigations += 1
    })
    sightings.set(page, seen)
    sighting = seen
  }
  return sighting
}

/**
 * Whether the page's document was read as static (nothing on it can run or navigate) and its
 * main frame has not navigated since: such a page stays as it is, so it need not be read again
 * (context-pool.ts asks this after every authorization).
 */
export function readAsStatic(page: Page): boolean {
  const sighting = sightings.get(page)
  return sighting?.staticAt !== undefined && sighting.staticAt === sighting.navigations
}

/**
 * The page's shape; undefined when it cannot be read now (it is navigating) or does not answer
 * within SHAPE_TIMEOUT_MS (its evaluation is then left to end with the page).
 */
export async function readPageShape(page: Page): Promise<PageShape | undefined> {
  const sighting = sightingOf(page)
  const before = sighting.navigations
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), SHAPE_TIMEOUT_MS)
  })
  try {
    const shape = await Promise.race([evaluateShape(page), late])
    // A navigation seen while reading may have replaced the document that was read.
    const isStatic = shape?.mayNavigate === false && sighting.navigations === before
    sighting.staticAt = isStatic ? before : undefined
    return shape
  } finally {
    clearTimeout(timer)
  }
}

async function evaluateShape(page: Page): Promise<PageShape | undefined> {
  try {
    return await page.evaluate((selector) => {
      // Active without a click: a script element, an inline event handler (an `onload` runs as
      // surely as a script), a meta refresh, or a frame whose document may run its own.
      const activeTags = 'meta[http-equiv="refresh" i],iframe,frame,object,embed'
      let mayNavigate = document.scripts.length > 0 || document.querySelector(activeTags) !== null
      let shadow = false
      const walker = document.createTreeWalker(document, NodeFilter.SHOW_ELEMENT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node as Element
        shadow ||= element.shadowRoot !== null
        mayNavigate ||= element.getAttributeNames().some((name) => name.startsWith('on'))
      }
      return { actionable: shadow || document.querySelector(selector) !== null, mayNavigate }
    }, ACTIONABLE)
  } catch {
    return undefined
  }
}

/**
 * Whether the recipe's login or consent could apply to a page of this shape. A recipe that
 * starts by waiting or runs a script knows its pages itself, and a consent by selector or role
 * may name any element: for those, always.
 */
export function mayLogInOrConsent(shape: PageShape | undefined, recipe: ResolvedLoginRecipe): boolean {
  if (!shape || shape.actionable) return true
  const first = recipe.steps[0]
  const consent = recipe.consent
  // A consent by selector, or by a role some plain element carries implicitly (a heading, a list
  // item, an image), may name any element.
  const anyElement = consent?.selector !== undefined || consent?.role !== undefined
  return recipe.script !== undefined || (first !== undefined && 'wait' in first) || anyElement
}
