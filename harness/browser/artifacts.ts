/**
 * Writing login artifacts (page HTML, screenshots, traces) into a step's artifacts folder.
 * Traces are written with their flag only (`--trace`, trace.ts); a failed login's screenshot
 * and page are written always, the screenshot with the secrets it would show masked.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Page } from 'playwright-core'
import type { Artifact } from '../model/result.ts'

let sequence = 0

/** A file path in `dir` that no other artifact of this process uses: `<stem>-<n>.<extension>`. */
export async function artifactPath(dir: string, stem: string, extension: string): Promise<string> {
  await mkdir(dir, { recursive: true })
  sequence += 1
  return resolve(join(dir, `${stem}-${sequence}.${extension}`))
}

/** Save a page's HTML and return it as an artifact. */
export async function saveHtmlArtifact(dir: string, stem: string, html: string): Promise<Artifact> {
  const path = await artifactPath(dir, stem, 'html')
  await writeFile(path, html, 'utf8')
  return { name: `${stem}.html`, path, contentType: 'text/html' }
}

/** The attribute that marks an element showing a secret, for the screenshot's mask. */
const MASK_ATTRIBUTE = 'data-dcrc-secret'

/**
 * Mark the elements that show one of `secrets`: a field whose value holds it (a password field
 * shows dots, a text field the characters) and the innermost elements whose text holds it.
 */
async function markSecretElements(page: Page, secrets: readonly string[]): Promise<void> {
  if (secrets.length === 0) return
  await page.evaluate(
    ({ values, attribute }) => {
      const holds = (text: string): boolean => values.some((value) => text.includes(value))
      for (const field of Array.from(document.querySelectorAll('input, textarea'))) {
        if (holds((field as HTMLInputElement).value)) field.setAttribute(attribute, '')
      }
      const walker = document.createTreeWalker(document.body ?? document, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (holds(node.nodeValue ?? '')) node.parentElement?.setAttribute(attribute, '')
      }
    },
    { values: [...secrets], attribute: MASK_ATTRIBUTE },
  )
}

/**
 * A failed login's screenshot and page HTML. The screenshot masks every element that shows one
 * of `secrets` (the browser's credentials, trace.ts browserSecrets); the HTML is redacted by the
 * runner once the step's secrets are learned (harness/runner/redact-artifacts.ts).
 */
export async function captureFailure(
  page: Page,
  dir: string,
  secrets: readonly string[],
): Promise<Artifact[]> {
  const artifacts: Artifact[] = []
  if (page.isClosed()) return artifacts
  try {
    await markSecretElements(page, secrets)
    const path = await artifactPath(dir, 'login-failure', 'png')
    const mask = [page.locator(`[${MASK_ATTRIBUTE}]`)]
    await page.screenshot({ path, fullPage: true, timeout: 5_000, mask })
    artifacts.push({ name: 'login-failure.png', path, contentType: 'image/png' })
  } catch {
    // A crashed page has no screenshot; the HTML may still come.
  }
  try {
    artifacts.push(await saveHtmlArtifact(dir, 'login-failure', await page.content()))
  } catch {
    // Nothing more to save.
  }
  return artifacts
}
