import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createRedactor, REDACTED } from '../../../harness/redact.ts'
import { redactHtmlArtifacts } from '../../../harness/runner/redact-artifacts.ts'
import { redactResult } from '../../../reporters/redact-result.ts'
import type { ScenarioResult } from '../../../harness/model/result.ts'

const folders: string[] = []
afterEach(async () => {
  await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })))
})

describe('redactHtmlArtifacts', () => {
  it('removes the interaction handle a login cookie carried from the failure page on disk', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'dcrc-artifacts-'))
    folders.push(folder)
    const handle = 'Qm9yZWQ-handle-4f1c2e9a7b'
    const page = join(folder, 'login-failure-1.html')
    const screenshot = join(folder, 'login-failure-1.png')
    const html = `<form><input type="hidden" name="interaction" value="${handle}"><p>Wrong password</p></form>`
    await writeFile(page, html)
    await writeFile(screenshot, handle)
    const result: ScenarioResult = {
      id: 'code-flow/login',
      title: 'Login',
      file: 'suites/code-flow/login.yaml',
      requirements: [],
      tags: [],
      outcome: 'errored',
      durationMs: 1,
      steps: [
        {
          id: 'authorize',
          action: 'authorize',
          outcome: 'errored',
          durationMs: 1,
          checks: [],
          exchanges: [
            {
              request: { method: 'GET', url: 'https://as.test/authorize', headers: {} },
              response: { status: 200, headers: { 'set-cookie': `dcr_login=${handle}; Path=/` } },
              durationMs: 1,
            },
          ],
          artifacts: [
            { name: 'login-failure.html', path: page, contentType: 'text/html' },
            { name: 'login-failure.png', path: screenshot, contentType: 'image/png' },
            { name: 'gone.html', path: join(folder, 'gone.html'), contentType: 'text/html' },
          ],
        },
      ],
    }
    const redactor = createRedactor()
    redactResult(result, redactor)
    await redactHtmlArtifacts(result, redactor)
    expect(await readFile(page, 'utf8')).toBe(html.replace(handle, REDACTED))
    // Only HTML pages are text to redact.
    expect(await readFile(screenshot, 'utf8')).toBe(handle)
  })
})
