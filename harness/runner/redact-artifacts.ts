/**
 * Login failure pages (HTML artifacts) are written by the login drivers while a step runs,
 * before the run's redactor has seen the step's exchanges. Once it has (redact-result.ts), the
 * pages are redacted in place like any other text: credential positions, and strong learned
 * values such as the interaction handle a login cookie carries (docs/redaction.md).
 */
import { readFile, writeFile } from 'node:fs/promises'
import type { Redactor } from '../redact.ts'
import type { ScenarioResult } from '../types.ts'

/** Redacts every `text/html` artifact file of a result; a file that cannot be read is left. */
export async function redactHtmlArtifacts(
  result: ScenarioResult,
  redactor: Redactor,
): Promise<void> {
  const pages = result.steps
    .flatMap((step) => step.artifacts)
    .filter((artifact) => artifact.contentType.startsWith('text/html'))
  for (const artifact of pages) {
    try {
      const html = await readFile(artifact.path, 'utf8')
      const clean = redactor.redactText(html)
      if (clean !== html) await writeFile(artifact.path, clean, 'utf8')
    } catch {
      // Gone or unreadable: nothing of it can reach a report.
    }
  }
}
