import { describe, expect, it } from 'vitest'
import { createRedactor } from '../../harness/redact.ts'
import {
  codeBlock,
  createMarkdownReporter,
  escapeMarkdown,
  renderMarkdown,
} from '../../reporters/markdown.ts'
import { redactingReporter } from '../../reporters/redacting.ts'
import { memoryStream, replay, sampleReport } from './sample-report.ts'

async function render() {
  const stream = await memoryStream()
  await replay(
    redactingReporter(createMarkdownReporter({ stream }), createRedactor()),
    sampleReport(),
  )
  return stream.text()
}

describe('markdown reporter', () => {
  it('has a summary table and one row per scenario', async () => {
    const md = await render()
    expect(md).toContain('# dcr-conformance: acme &lt;idp&gt; — ERRORED')
    expect(md).toContain('2 passed, 2 failed, 1 warned, 2 inconclusive, 1 skipped, 1 errored')
    expect(md).toContain(
      '| Total | Passed | Failed | Warned | Inconclusive | Skipped | Errored | Known deviations | Stale |',
    )
    expect(md).toContain('| 9 | 2 | 2 | 1 | 2 | 1 | 1 | 1 | 1 |')
    const scenarios = md.slice(md.indexOf('## Scenarios'))
    // The full list is folded away.
    expect(scenarios).toMatch(/^## Scenarios\n\n<details><summary>All 9 scenarios<\/summary>\n\n\|/)
    expect(scenarios).toContain('|\n\n</details>')
    const rows = scenarios.split('\n').filter((line) => /^\| (✅|❌|⚠️|⏭️|💥|➖|❔) \|/.test(line))
    expect(rows).toHaveLength(9)
    expect(rows.find((row) => row.includes('management/read'))).toContain(
      'requires capability rfc7592',
    )
    expect(rows.find((row) => row.includes('token/refresh'))).toContain(
      '| xfail | R6749-6-a | 10 ms | known deviation: refresh tokens are not rotated (vendor docs) |',
    )
    expect(rows.find((row) => row.includes('iat/one-time'))).toContain('| passed |')
    expect(rows.find((row) => row.includes('registration/redirect-uris'))).toContain(
      '| inconclusive | R7591-2-a | 10 ms | blocked at step reg (register): status: expected 2xx, ' +
        'got 400; the answer violates R7591-3.2.1-a |',
    )
  })

  it('has the requirement table with verdicts, known deviations and scenarios', async () => {
    const md = await render()
    const section = md.slice(md.indexOf('## Requirements'), md.indexOf('## Scenarios'))
    expect(section).toContain(
      'Requirements: 1 pass, 2 fail (1 known deviation), 2 warn, 2 inconclusive, ' +
        '1 not-applicable, 1 untested',
    )
    expect(section).toContain('|  | Requirement | Title | Spec | Level | Verdict | Scenarios |')
    expect(section).toContain(
      '| ❌ | R7591-3.2.1-a | Success is 201 Created with a JSON object body | ' +
        '[RFC 7591 §3.2.1](https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1) | must | fail | ' +
        'registration/basic, registration/cache-control, registration/status-201 |',
    )
    expect(section).toContain(
      '| ➖ | R6749-6-a | Refresh tokens are rotated | ' +
        '[RFC 6749 §6](https://www.rfc-editor.org/rfc/rfc6749#section-6) | must | ' +
        'fail (known deviation) | token/refresh |',
    )
    expect(section).toContain(
      '| ❔ | R7591-2-a | redirect\\_uris are registered as given | ' +
        '[RFC 7591 §2](https://www.rfc-editor.org/rfc/rfc7591#section-2) | must | inconclusive | ' +
        'registration/redirect-uris |',
    )
    expect(section).toContain('| ⏭️ | R7592-2-a |')
    expect(section).toContain('| ◻️ | R6749-4.1-a |')
    expect(section.split('\n').filter((line) => /^\| \S+ \| R\d/.test(line))).toHaveLength(9)
  })

  it('groups inconclusive scenarios by root cause and lists the expectations', async () => {
    const md = await render()
    expect(md).toContain(
      '## Inconclusive scenarios by root cause\n\n' +
        '- register: status: expected 2xx, got 400: blocks 2 scenarios; ' +
        'the answer violates R7591-3.2.1-a\n',
    )
    expect(md).toContain(
      '## Known deviations\n\n' +
        '- known deviation: R6749-6-a in token/refresh: refresh tokens are not rotated (vendor docs)',
    )
    expect(md).toContain(
      '## Stale expectations (the run fails: update the expectations file)\n\n' +
        '- stale expectation: R7591-3-d now holds (server accepts IAT reuse (ticket 42))',
    )
    expect(md).toContain('- not tested in this run: R7591-3.2.1-e: all clients share one secret')
    expect(md).toContain('## Caveats')
  })

  it('puts the failures first, exchanges folded in <details>, then warnings', async () => {
    const md = await render()
    const failures = md.indexOf('## Failures (2)')
    expect(failures).toBeGreaterThan(0)
    expect(failures).toBeLessThan(md.indexOf('## Inconclusive scenarios by root cause'))
    expect(md.indexOf('## Inconclusive')).toBeLessThan(md.indexOf('## Requirements'))
    expect(md.indexOf('## Requirements')).toBeLessThan(md.indexOf('## Scenarios'))
    const section = md.slice(failures, md.indexOf('## Warnings and known deviations (2)'))
    expect(section).toContain('### registration/status-201: Registration answers 201 Created')
    expect(section).toContain('### authorize/code-flow')
    expect(section).not.toContain('### registration/cache-control')
    // The requirement with its title and spec link; expected and actual once.
    expect(section).toContain(
      '**reg**: status is 201 (must)\n\nRequirement R7591-3.2.1-a Success is 201 Created with a ' +
        'JSON object body ([RFC 7591 §3.2.1](https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1))' +
        '\n\nexpected status 201, got 200 &lt;b&gt;&amp;&lt;/b&gt;\n\n<details>',
    )
    expect(section).not.toContain('expected: 201')
    expect(section).toContain(
      '<details><summary>POST https://as.example.test/oauth/v2/oauth-dynamic-client-registration ' +
        '-&gt; 200</summary>\n\n```http\n',
    )
    expect(section).toContain('< {\n  "client_id": "client-1",')
    expect(section).toContain('- Hint: the login never reached the callback')
    const warnings = md.slice(md.indexOf('## Warnings and known deviations (2)'))
    expect(warnings).toContain('### registration/cache-control')
    expect(warnings).toContain('### token/refresh')
    expect(md).toContain('## Notices')
    expect(md).toContain('- client-9: DELETE answered 500')
  })

  it('escapes markup so table cells and headings stay intact', async () => {
    const md = await render()
    const row = md.split('\n').find((line) => line.includes('registration/basic<br>'))!
    expect(row).toContain(
      'Tricky &lt;script&gt;alert("x")&lt;/script&gt; &amp; \\]\\]&gt; \\| \\*bold\\* \\_it\\_ \\`tick\\` \\[31mred',
    )
    // Six cells: the | in the title is escaped.
    expect(row.split(/(?<!\\)\|/).length).toBe(8)
    expect(md).not.toContain('<script>')
    expect(escapeMarkdown('a\nb|c')).toBe('a<br>b\\|c')
    expect(escapeMarkdown('# not a heading')).toBe('\\# not a heading')
    expect(escapeMarkdown('- not a list')).toBe('\\- not a list')
    expect(codeBlock('x ``` y')).toBe('````\nx ``` y\n````')
  })
})

describe('markdown size', () => {
  it('stays under the step summary limit: past the budget, failures are listed one line each', () => {
    const base = sampleReport().scenarios.find((s) => s.id === 'registration/status-201')!
    const exchange = base.steps[0]!.exchanges[0]!
    const big = { ...exchange, response: { ...exchange.response!, body: 'b'.repeat(1500) } }
    const scenarios = Array.from({ length: 400 }, (_, i) => ({
      ...base,
      id: `bulk/s-${i}`,
      steps: [{ ...base.steps[0]!, exchanges: [big, big, big] }],
    }))
    const md = renderMarkdown(sampleReport({ scenarios }))
    expect(md.length).toBeLessThan(1024 * 1024)
    expect(md).toContain('## Failures (400)')
    expect(md).toMatch(/\n\d+ more \(details in the HTML and JSON reports\):\n\n- bulk\/s-\d+: /)
    expect(md).toContain('### bulk/s-0: ')
    expect(md).not.toContain('### bulk/s-399: ')
  })
})

describe('renderMarkdown of a run that ended for a reason no scenario shows', () => {
  it('says the reason under the header', () => {
    const reason = 'nothing was judged: of 2 scenarios, 2 skipped (see their reasons)'
    const md = renderMarkdown(sampleReport({ status: 'errored', reason }))
    expect(md.split('\n').slice(0, 6)).toContain(`**${reason}**`)
  })
})
