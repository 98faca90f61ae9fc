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
    expect(md).toContain('2 passed, 2 failed, 1 warned, 1 skipped, 1 errored')
    expect(md).toContain('| 7 | 2 | 2 | 1 | 1 | 1 | 1 | 1 |')
    const rows = md.split('\n').filter((line) => /^\| (✅|❌|⚠️|⏭️|💥|➖) \|/.test(line))
    expect(rows).toHaveLength(7)
    expect(rows.find((row) => row.includes('management/read'))).toContain(
      'requires capability rfc7592',
    )
    expect(rows.find((row) => row.includes('token/refresh'))).toContain('| xfail |')
    expect(rows.find((row) => row.includes('iat/one-time'))).toContain('| stale |')
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
