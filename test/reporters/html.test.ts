import { describe, expect, it } from 'vitest'
import { createRedactor } from '../../harness/redact.ts'
import { createHtmlReporter, escapeHtml } from '../../reporters/html.ts'
import { redactingReporter } from '../../reporters/redacting.ts'
import { memoryStream, replay, sampleReport } from './sample-report.ts'

async function render() {
  const stream = await memoryStream()
  await replay(redactingReporter(createHtmlReporter({ stream }), createRedactor()), sampleReport())
  return stream.text()
}

describe('html reporter', () => {
  it('is one self-contained document: no scripts, no external resources', async () => {
    const html = await render()
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true)
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`)
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|\bsrc=|\bhref=/i)
  })

  it('shows the summary, every scenario and the failures', async () => {
    const html = await render()
    expect(html).toContain('<span class="verdict errored">ERRORED</span>')
    expect(html).toContain('2 passed, 2 failed, 1 warned, 1 skipped, 1 errored')
    expect(
      html.match(/<tr><td class="(passed|failed|warned|skipped|errored|xfail|stale)">/g),
    ).toHaveLength(7)
    expect(html).toContain('expected: refresh tokens are not rotated (vendor docs)')
    expect(html).toContain(
      'stale expectation: expected failed (server accepts IAT reuse (ticket 42)) but passed',
    )
    expect(html).toContain('reg: status is 201 (must) [R7591-3.2.1-a]')
    expect(html).toContain('expected: 201\nactual:   200')
    expect(html).toContain('<h2>Notices</h2>')
  })

  it('escapes everything from the target and the scenarios', async () => {
    const html = await render()
    expect(html).toContain('Tricky &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; ]]&gt;')
    expect(html).toContain('expected status 201, got 200 &lt;b&gt;&amp;&lt;/b&gt;')
    expect(html).toContain('acme &lt;idp&gt;')
    expect(html).not.toContain('<b>&</b>')
    expect(html).not.toContain('\u0001')
    expect(escapeHtml(`<a href='x'>&</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;')
  })
})
