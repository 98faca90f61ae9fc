import { describe, expect, it } from 'vitest'
import { createRedactor } from '../../harness/redact.ts'
import { codeBlock, createMarkdownReporter, escapeMarkdown } from '../../reporters/markdown.ts'
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
    const section = md.slice(md.indexOf('## Requirements'), md.indexOf('## Inconclusive'))
    expect(section).toContain(
      'Requirements: 1 pass, 2 fail (1 known deviation), 2 warn, 2 inconclusive, ' +
        '1 not-applicable, 1 untested',
    )
    expect(section).toContain('|  | Requirement | Title | Level | Verdict | Scenarios |')
    expect(section).toContain(
      '| ❌ | R7591-3.2.1-a | Success is 201 Created with a JSON object body | must | fail | ' +
        'registration/basic, registration/cache-control, registration/status-201 |',
    )
    expect(section).toContain(
      '| ➖ | R6749-6-a | Refresh tokens are rotated | must | fail (known deviation) | token/refresh |',
    )
    expect(section).toContain(
      '| ❔ | R7591-2-a | redirect\\_uris are registered as given | must | inconclusive | ' +
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

  it('details failures and warnings with requirement, expected and actual', async () => {
    const md = await render()
    const failures = md.slice(md.indexOf('## Failures and warnings'))
    expect(failures).toContain('### registration/status-201: Registration answers 201 Created')
    expect(failures).toContain('**reg**: status is 201 (must) \\[R7591-3.2.1-a\\]')
    expect(failures).toContain('expected: 201\nactual:   200')
    expect(failures).toContain('### registration/cache-control')
    expect(failures).toContain('### authorize/code-flow')
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
