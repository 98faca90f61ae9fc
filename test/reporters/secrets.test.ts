import { describe, expect, it } from 'vitest'
import { createRedactor } from '../../harness/redact.ts'
import { redactResult } from '../../reporters/redact-result.ts'
import type { Report } from '../../harness/model/report.ts'
import type { Reporter } from '../../harness/model/reporter.ts'
import { createAnnotationsReporter } from '../../reporters/annotations.ts'
import { createConsoleReporter } from '../../reporters/console.ts'
import { createHtmlReporter } from '../../reporters/html.ts'
import { createJsonReporter } from '../../reporters/json.ts'
import { createJunitReporter } from '../../reporters/junit.ts'
import { createMarkdownReporter } from '../../reporters/markdown.ts'
import { redactingReporters } from '../../reporters/redacting.ts'
import { memoryStream, replay, sampleReport, SECRETS } from './sample-report.ts'

const secretValues = Object.values(SECRETS)
const basicCredentials = Buffer.from(`client-1:${SECRETS.clientSecret}`).toString('base64')

describe('secrets through the redactor', () => {
  it('the sample really carries every secret (so the test can fail)', async () => {
    const stream = await memoryStream()
    await replay(createJsonReporter({ stream }), sampleReport())
    for (const secret of [...secretValues, basicCredentials])
      expect(stream.text()).toContain(secret)
  })

  it('no reporter prints a secret when events go through the run redactor', async () => {
    const streams = await Promise.all(
      [1, 2, 3, 4, 5, 6, 7].map(() => memoryStream({ isTTY: false })),
    )
    const [consoleOut, ttyOut, jsonOut, junitOut, markdownOut, htmlOut, annotationsOut] = streams
    const tty = await memoryStream({ isTTY: true })
    const reporters: Reporter[] = [
      createConsoleReporter({ stream: consoleOut!, env: {} }),
      createConsoleReporter({ stream: tty, env: { FORCE_COLOR: '1' } }),
      createJsonReporter({ stream: jsonOut! }),
      createJunitReporter({ stream: junitOut! }),
      createMarkdownReporter({ stream: markdownOut! }),
      createHtmlReporter({ stream: htmlOut! }),
      createAnnotationsReporter(annotationsOut!),
    ]
    const redactor = createRedactor()
    const report = sampleReport()
    const before = JSON.stringify(report)
    await replay(
      {
        onRunStart: async (info) => {
          for (const r of redactingReporters(reporters, redactor)) await r.onRunStart?.(info)
        },
        onScenarioStart: async (s) => {
          for (const r of redactingReporters(reporters, redactor)) await r.onScenarioStart?.(s)
        },
        onScenarioEnd: async (s) => {
          for (const r of redactingReporters(reporters, redactor)) await r.onScenarioEnd?.(s)
        },
        onNotice: async (n) => {
          for (const r of redactingReporters(reporters, redactor)) await r.onNotice?.(n)
        },
        onRunEnd: async (rep) => {
          for (const r of redactingReporters(reporters, redactor)) await r.onRunEnd(rep)
        },
      },
      report,
    )
    // The input report is untouched.
    expect(JSON.stringify(report)).toBe(before)
    const outputs = {
      console: consoleOut!.text(),
      tty: tty.text(),
      json: jsonOut!.text(),
      junit: junitOut!.text(),
      markdown: markdownOut!.text(),
      html: htmlOut!.text(),
      annotations: annotationsOut!.text(),
    }
    for (const [name, text] of Object.entries(outputs)) {
      expect(text.length, name).toBeGreaterThan(200)
      for (const secret of [...secretValues, basicCredentials])
        expect(text, `${name} leaks ${secret}`).not.toContain(secret)
      expect(text, name).not.toMatch(/SECRET/)
      expect(text, name).toContain('[REDACTED]')
    }
    // What is not secret stays readable.
    expect(outputs.json).toContain('client-1')
    expect(outputs.json).toContain('https://as.example.test/oauth/v2/oauth-token')
  })
})

describe('redactingReporters', () => {
  /** A redactor that counts its walks (redactValue is the one walk of a result). */
  function countingRedactor() {
    const redactor = createRedactor()
    const counted = {
      ...redactor,
      walks: 0,
      redactValue: <T>(value: T): T => {
        counted.walks += 1
        return redactor.redactValue(value)
      },
    }
    return counted
  }

  it('redacts each event once and hands every reporter the same redacted copy', async () => {
    const seen: unknown[] = []
    const collect: Reporter = {
      onScenarioEnd: (result) => {
        seen.push(result)
      },
      onRunEnd: () => undefined,
    }
    const counting = countingRedactor()
    const [first, second] = redactingReporters([collect, collect], counting)
    const scenario = sampleReport().scenarios[0]!
    await first!.onScenarioEnd?.(scenario)
    await second!.onScenarioEnd?.(scenario)
    expect(counting.walks).toBe(1)
    expect(seen[0]).toBe(seen[1])
    expect(seen[0]).not.toBe(scenario)
    expect(JSON.stringify(seen[0])).not.toMatch(/SECRET/)
  })

  it('walks each result once in a run: the runner, every reporter and the final report', async () => {
    const ends: Report[] = []
    const collect: Reporter = { onRunEnd: (report) => void ends.push(report) }
    const counting = countingRedactor()
    const reporters = redactingReporters([collect, collect, collect], counting)
    const report = sampleReport()
    // As harness/runner/run.ts does: each result redacted when it ends, the report built from those.
    const redacted = report.scenarios.map((scenario) => redactResult(scenario, counting))
    for (const result of redacted) for (const reporter of reporters) await reporter.onScenarioEnd?.(result)
    const final = { ...report, scenarios: redacted }
    for (const reporter of reporters) await reporter.onRunEnd(final)
    // One walk per result, and one for the rest of the report (notices, leftovers, root causes).
    expect(counting.walks).toBe(report.scenarios.length + 1)
    expect(ends[0]).toBe(ends[2])
    expect(ends[0]!.scenarios[0]).toBe(redacted[0])
    expect(JSON.stringify(ends[0])).not.toMatch(/SECRET/)
    expect(ends[0]!.scenarios.map((s) => s.id)).toEqual(report.scenarios.map((s) => s.id))
  })
})
