/**
 * Login failure pages (HTML artifacts) and Playwright traces are written by the login drivers
 * while a step runs, before the run's redactor has seen the step's exchanges. Once it has
 * (reporters/redact-result.ts), they are redacted in place like any other text: credential
 * positions, and strong learned values such as the interaction handle a login cookie carries
 * (docs/redaction.md).
 */
import { readFile, writeFile } from 'node:fs/promises'
import type { Redactor } from '../redact.ts'
import type { ScenarioResult } from '../model/result.ts'
import { redactTraceZip } from '../browser/trace.ts'

/** The paths of a result's artifacts of content types `accepts` takes. */
function artifactPaths(result: ScenarioResult, accepts: (contentType: string) => boolean): string[] {
  return result.steps
    .flatMap((step) => step.artifacts)
    .filter((artifact) => accepts(artifact.contentType))
    .map((artifact) => artifact.path)
}

/** Redacts every `text/html` artifact file of a result; a file that cannot be read is left. */
export async function redactHtmlArtifacts(
  result: ScenarioResult,
  redactor: Redactor,
): Promise<void> {
  for (const path of artifactPaths(result, (type) => type.startsWith('text/html'))) {
    try {
      const html = await readFile(path, 'utf8')
      const clean = redactor.redactText(html)
      if (clean !== html) await writeFile(path, clean, 'utf8')
    } catch {
      // Gone or unreadable: nothing of it can reach a report.
    }
  }
}

/**
 * Redacts every Playwright trace zip of a result (`--trace`) as text, on top of the masking the
 * browser driver did (docs/redaction.md): a page may show a secret the run learned elsewhere.
 */
export async function redactTraceArtifacts(
  result: ScenarioResult,
  redactor: Redactor,
): Promise<void> {
  for (const path of artifactPaths(result, (type) => type === 'application/zip')) {
    // A zip that is gone or unreadable is left: nothing of it can reach a report.
    await redactTraceZip(path, (text) => redactor.redactText(text)).catch(() => {})
  }
}

/** Every artifact file of a result that can hold text: login failure pages and traces. */
export async function redactArtifacts(result: ScenarioResult, redactor: Redactor): Promise<void> {
  await redactHtmlArtifacts(result, redactor)
  await redactTraceArtifacts(result, redactor)
}
