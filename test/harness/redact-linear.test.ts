/**
 * Redaction of hostile values is linear in their size (issue 10, item 3). Each text below made
 * some path of harness/redact.ts rescan the rest of the text from many positions (a regular
 * expression starting inside a run, or a scan per learned value): at 1 MB that ran for minutes
 * (measured: `eyJ` x 300,000 did not end in 200 s), blocking the event loop so this file hangs
 * rather than fails; the linear paths take about a second. No speed is asserted. The
 * automaton's own step count is bounded in redact-matcher.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { createRedactor } from '../../harness/redact.ts'

const SIZE = 1_000_000
const fill = (unit: string) => unit.repeat(Math.ceil(SIZE / unit.length))

const hostile: [string, string][] = [
  ['JWT headers back to back', fill('eyJ')],
  ['one long base64url run', `eyJ${fill('a')}`],
  ['learned values’ common prefix', fill('secr')],
  ['credential names without values', fill(' a_token')],
  ['JSON members never closed', fill('"code":"\\"')],
  ['schemes without credentials', fill('Bearer ')],
  ['one huge token after a scheme', `Authorization: Bearer ${fill('x')}"`],
]

describe('redaction of hostile values', () => {
  it.each(hostile)('is linear: %s', (_name, text) => {
    const redactor = createRedactor()
    for (let i = 0; i < 300; i++) redactor.learn(`secr-${i}-9x`)
    const exchange = {
      request: { method: 'POST', url: 'https://as.example/reg', headers: {}, body: '' },
      response: { status: 400, headers: { 'content-type': 'text/plain' }, body: text },
    }
    const redacted = redactor.redactExchange(exchange as never) as unknown as typeof exchange
    expect(redacted.response.body.length).toBeGreaterThan(0)
    expect(redactor.redactText(`see ${text}`).length).toBeGreaterThan(0)
  }, 60_000)

  it('still removes a learned value found in such a text', () => {
    const redactor = createRedactor()
    for (let i = 0; i < 300; i++) redactor.learn(`secr-${i}-9x`)
    const text = `${fill('secr')} secr-123-9x ${fill('eyJ')}`
    const out = redactor.redactText(text)
    expect(out).not.toContain('secr-123-9x')
    expect(out).toContain(' [REDACTED] ')
  }, 60_000)
})
