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
    expect(html).toContain('2 passed, 2 failed, 1 warned, 2 inconclusive, 1 skipped, 1 errored')
    expect(
      html.match(/<tr><td class="(passed|failed|warned|inconclusive|skipped|errored|xfail)">/g),
    ).toHaveLength(9)
    expect(html).toContain(
      '<tr><td class="inconclusive">inconclusive</td><td>registration/redirect-uris<br>',
    )
    expect(html).toContain(
      'blocked at step reg (register): status: expected 2xx, got 400; ' +
        'the answer violates R7591-3.2.1-a',
    )
    expect(html).toContain('known deviation: refresh tokens are not rotated (vendor docs)')
    expect(html).toContain(
      '<h2>Stale expectations (the run fails: update the expectations file)</h2>\n<ul><li>' +
        '<span class="stale">stale expectation: R7591-3-d now holds (server accepts IAT reuse ' +
        '(ticket 42))</span></li></ul>',
    )
    expect(html).toContain('reg: status is 201 (must) [R7591-3.2.1-a]')
    expect(html).toContain('expected: 201\nactual:   200')
    expect(html).toContain('<h2>Notices</h2>')
  })

  it('shows the requirement table and the root causes', async () => {
    const html = await render()
    expect(html).toContain(
      '<p>Requirements: 1 pass, 2 fail (1 known deviation), 2 warn, 2 inconclusive, ' +
        '1 not-applicable, 1 untested</p>',
    )
    expect(html).toContain(
      '<tr><th>Requirement</th><th>Title</th><th>Level</th><th>Verdict</th><th>Scenarios</th></tr>',
    )
    expect(html).toContain(
      '<tr><td>R7591-3.2.1-a</td><td>Success is 201 Created with a JSON object body</td>' +
        '<td>must</td><td class="fail">fail</td>' +
        '<td>registration/basic, registration/cache-control, registration/status-201</td></tr>',
    )
    expect(html).toContain(
      '<td class="excused">fail (known deviation)</td><td>token/refresh</td>',
    )
    expect(html).toContain(
      '<td class="inconclusive">inconclusive</td><td>registration/redirect-uris</td>',
    )
    expect(html).toContain(
      '<h2>Inconclusive scenarios by root cause</h2>\n<ul><li><details><summary>' +
        'register: status: expected 2xx, got 400: blocks 2 scenarios; the answer violates ' +
        'R7591-3.2.1-a</summary>registration/redirect-uris, registration/software-statement' +
        '</details></li></ul>',
    )
    expect(html).toContain('<h2>Known deviations</h2>')
    expect(html).toContain('<h2>Caveats</h2>')
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
