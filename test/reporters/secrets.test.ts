import { describe, expect, it } from 'vitest'
import { createRedactor } from '../../harness/redact.ts'
import type { Reporter } from '../../harness/types.ts'
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
    const streams = await Promise.all([1, 2, 3, 4, 5, 6].map(() => memoryStream({ isTTY: false })))
    const [consoleOut, ttyOut, jsonOut, junitOut, markdownOut, htmlOut] = streams
    const tty = await memoryStream({ isTTY: true })
    const reporters: Reporter[] = [
      createConsoleReporter({ stream: consoleOut!, env: {} }),
      createConsoleReporter({ stream: tty, env: { FORCE_COLOR: '1' } }),
      createJsonReporter({ stream: jsonOut! }),
      createJunitReporter({ stream: junitOut! }),
      createMarkdownReporter({ stream: markdownOut! }),
      createHtmlReporter({ stream: htmlOut! }),
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
  it('redacts each event once and hands every reporter the same redacted copy', async () => {
    const seen: unknown[] = []
    const collect: Reporter = {
      onScenarioEnd: (result) => {
        seen.push(result)
      },
      onRunEnd: () => undefined,
    }
    let calls = 0
    const redactor = createRedactor()
    const counting = {
      ...redactor,
      redactValue: <T>(value: T): T => {
        calls += 1
        return redactor.redactValue(value)
      },
    }
    const [first, second] = redactingReporters([collect, collect], counting)
    const scenario = sampleReport().scenarios[0]!
    await first!.onScenarioEnd?.(scenario)
    await second!.onScenarioEnd?.(scenario)
    expect(calls).toBe(1)
    expect(seen[0]).toBe(seen[1])
    expect(seen[0]).not.toBe(scenario)
    expect(JSON.stringify(seen[0])).not.toMatch(/SECRET/)
  })
})
