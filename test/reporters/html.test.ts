import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createRedactor } from '../../harness/redact.ts'
import { createHtmlReporter, escapeHtml, renderHtml } from '../../reporters/html.ts'
import { redactingReporter } from '../../reporters/redacting.ts'
import { memoryStream, replay, sampleReport, sampleScenarios } from './sample-report.ts'

async function render() {
  const stream = await memoryStream()
  await replay(redactingReporter(createHtmlReporter({ stream }), createRedactor()), sampleReport())
  return stream.text()
}

describe('html reporter', () => {
  it('is one self-contained document: one script, allowed by its hash, nothing loaded', async () => {
    const html = await render()
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true)
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)]
    expect(scripts).toHaveLength(1)
    const hash = createHash('sha256').update(scripts[0]?.[1] ?? '').digest('base64')
    expect(html).toContain(
      `content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:; ` +
        `script-src &#39;sha256-${hash}&#39;"`,
    )
    expect(html).not.toMatch(/<link|<iframe|@import|url\(|\bsrc="(?!data:)/i)
    // Links go to anchors of this page or to the spec, never to a resource the page loads.
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) {
      expect(href).toMatch(/^(#|https:\/\/(www\.rfc-editor\.org|openid\.net)\/)/)
    }
  })

  it('puts the failures first, each linking to its details', async () => {
    const html = await render()
    expect(html).toContain('<span class="verdict errored">ERRORED</span>')
    expect(html).toContain('2 passed, 2 failed, 1 warned, 2 inconclusive, 1 skipped, 1 errored')
    const failures = html.indexOf('<section id="failures"><h2>Failures (2)</h2>')
    expect(failures).toBeGreaterThan(0)
    expect(failures).toBeLessThan(html.indexOf('Inconclusive scenarios by root cause'))
    expect(html.indexOf('Inconclusive scenarios by root cause')).toBeLessThan(
      html.indexOf('<h2 id="requirements">'),
    )
    expect(html).toContain('<a href="#s-registration/status-201">registration/status-201</a>')
    // Every scenario is one filterable, linkable <details>.
    expect(html.match(/<details class="scn" id="s-/g)).toHaveLength(9)
    expect(html).toContain(
      '<details class="scn" id="s-registration/cache-control" data-outcome="warned" ' +
        'data-folder="registration" data-reqs="R7591-3.2.1-a R6749-5.1-b" data-levels="should">',
    )
    expect(html).toContain(
      'blocked at step reg (register): status: expected 2xx, got 400; ' +
        'the answer violates R7591-3.2.1-a',
    )
    expect(html).toContain('Known deviation: refresh tokens are not rotated (vendor docs)')
    expect(html).toContain(
      '<span class="stale">stale expectation: R7591-3-d now holds (server accepts IAT reuse ' +
        '(ticket 42))</span>',
    )
    expect(html).toContain('<h2>Notices</h2>')
  })

  it('shows each check with its requirement title and spec link, expected and actual once', async () => {
    const html = await render()
    expect(html).toContain(
      '<strong>status is 201</strong> (must) · <a href="#r-R7591-3.2.1-a">R7591-3.2.1-a</a> ' +
        'Success is 201 Created with a JSON object body (<a href="https://www.rfc-editor.org/rfc/' +
        'rfc7591#section-3.2.1" rel="noreferrer">RFC 7591 §3.2.1</a>)',
    )
    expect(html).toContain('<div>expected status 201, got 200 &lt;b&gt;&amp;&lt;/b&gt;</div>')
    expect(html).not.toContain('expected: 201')
    // Bodies are pretty-printed JSON.
    expect(html).toContain('&lt; {\n  &quot;client_id&quot;: &quot;client-1&quot;,')
  })

  it('folds a long body behind an expander', () => {
    const scenarios = sampleScenarios()
    const exchange = scenarios.find((s) => s.id === 'registration/status-201')?.steps[0]
      ?.exchanges[0]
    if (!exchange?.response) throw new Error('sample changed')
    exchange.response.body = 'z'.repeat(5000)
    const html = renderHtml(sampleReport({ scenarios }))
    expect(html).toContain(`&lt; ${'z'.repeat(2000)}…</pre>`)
    expect(html).toContain('<summary>show all (3000 more characters)</summary>')
  })

  it('shows the requirement table with titles, spec links and scenario links', async () => {
    const html = await render()
    expect(html).toContain(
      '<p>Requirements: 1 pass, 2 fail (1 known deviation), 2 warn, 2 inconclusive, ' +
        '1 not-applicable, 1 untested</p>',
    )
    expect(html).toContain(
      '<tr><th>Requirement</th><th>Title</th><th>Spec</th><th>Level</th><th>Verdict</th>' +
        '<th>Scenarios</th></tr>',
    )
    expect(html).toContain(
      '<tr id="r-R7591-3.2.1-a"><td>R7591-3.2.1-a</td><td>Success is 201 Created with a JSON ' +
        'object body</td><td><a href="https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1" ' +
        'rel="noreferrer">RFC 7591 §3.2.1</a></td><td>must</td><td class="fail">fail</td><td>' +
        '<a href="#s-registration/basic">registration/basic</a>, ',
    )
    expect(html).toContain('<td class="excused">fail (known deviation)</td>')
    expect(html).toContain(
      '<h2 id="inconclusive">Inconclusive scenarios by root cause</h2>\n<ul><li><details><summary>' +
        'register: status: expected 2xx, got 400: blocks 2 scenarios; the answer violates ' +
        'R7591-3.2.1-a</summary><a href="#s-registration/redirect-uris">',
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
