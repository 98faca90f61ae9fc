import { describe, expect, it } from 'vitest'
import { createRedactor } from '../../harness/redact.ts'
import { shouldUseColor } from '../../reporters/ansi.ts'
import { createConsoleReporter } from '../../reporters/console.ts'
import { redactingReporter } from '../../reporters/redacting.ts'
import {
  HOSTILE_TITLE,
  memoryStream,
  replay,
  sampleReport,
  sampleScenarios,
} from './sample-report.ts'

async function render(
  options: { isTTY?: boolean; color?: boolean; env?: Record<string, string> } = {},
) {
  const stream = await memoryStream({ isTTY: options.isTTY ?? false, columns: 100 })
  const reporter = createConsoleReporter({
    stream,
    env: options.env ?? {},
    ...(options.color !== undefined ? { color: options.color } : {}),
  })
  await replay(redactingReporter(reporter, createRedactor()), sampleReport())
  return stream.text()
}

describe('console reporter, not a TTY', () => {
  it('groups the results by folder, each line with its [n/N] count, skips only counted', async () => {
    const text = await render()
    const lines = text.split('\n')
    expect(lines).toContain('  [4/9] ✓ passed  registration/basic  (12 ms)')
    expect(lines).toContain('  [8/9] ✗ failed  registration/status-201  (10 ms)')
    expect(lines).toContain('  [5/9] ! warned  registration/cache-control  (10 ms)')
    // One heading per folder, printed when the folder is complete, its lines under it.
    const heading = lines.indexOf('registration/ (5)')
    expect(heading).toBeGreaterThan(lines.indexOf('iat/ (1)'))
    expect(lines.slice(heading + 1, heading + 6).every((line) => /^ {2}\[\d\/9\] /.test(line))).toBe(
      true,
    )
    expect(lines.filter((line) => line.startsWith('registration/'))).toHaveLength(1)
    // A skipped scenario has no line of its own: its folder counts it, the summary says why.
    expect(lines).toContain('management/ (1, 1 skipped)')
    expect(text).not.toContain('skipped  management/read')
    expect(text).toContain(
      'Skipped (1):\n  - 1 scenario: requires capability rfc7592 (not claimed by the target)',
    )
    expect(
      lines.some((line) =>
        line.startsWith('  [1/9] E errored  authorize/code-flow  (40 ms): E_LOGIN:'),
      ),
    ).toBe(true)
    expect(lines).toContain(
      '  [9/9] x xfail  token/refresh  (10 ms): known deviation: refresh tokens are not rotated (vendor docs)',
    )
    expect(lines).toContain('  [2/9] ✓ passed  iat/one-time  (10 ms)')
    expect(lines).toContain(
      '  [6/9] ? inconclusive  registration/redirect-uris  (10 ms): blocked at step reg (register): ' +
        'status: expected 2xx, got 400; the answer violates R7591-3.2.1-a',
    )
    // No escape sequences at all: no colours, no progress line.
    expect(text).not.toMatch(/\u001b/)
    expect(text).not.toContain('\r')
  })

  it('while a folder is held back, marks the progress from the first scenario on', async () => {
    const stream = await memoryStream()
    const reporter = createConsoleReporter({ stream, env: {} })
    const report = sampleReport()
    const passed = report.scenarios.find((s) => s.id === 'iat/one-time')!
    const many = Array.from({ length: 25 }, (_, i) => ({ ...passed, id: `big/s-${i}` }))
    const { target, seed, startedAt } = report
    const ids = many.map((s) => s.id)
    await reporter.onRunStart?.({ target, seed, startedAt, planned: 25, scenarios: ids })
    for (const scenario of many) await reporter.onScenarioEnd?.(scenario)
    const lines = stream.text().split('\n')
    // The first scenario that ran, then every tenth of the run (at least 10 scenarios apart).
    expect(lines.filter((line) => line.endsWith('] running'))).toEqual([
      '[1/25] running',
      '[11/25] running',
      '[21/25] running',
    ])
    // The folder comes as one block once complete, after the marks.
    expect(lines.indexOf('big/ (25)')).toBeGreaterThan(lines.indexOf('[21/25] running'))
    expect(lines.filter((line) => / \[\s*\d+\/25\] ✓ passed {2}big\//.test(line))).toHaveLength(25)
  })

  it('without the plan, prints each result at once under its folder heading', async () => {
    const stream = await memoryStream()
    const reporter = createConsoleReporter({ stream, env: {} })
    const report = sampleReport()
    const { target, seed, startedAt } = report
    await reporter.onRunStart?.({ target, seed, startedAt, planned: 9 })
    for (const scenario of report.scenarios) await reporter.onScenarioEnd?.(scenario)
    const lines = stream.text().split('\n')
    expect(lines.filter((line) => line === 'registration/')).toHaveLength(1)
    expect(lines).toContain('  [4/9] ✓ passed  registration/basic  (12 ms)')
  })

  it('details each unexpected failure: step, check, level, requirement, expected, actual, exchange', async () => {
    const text = await render()
    const details = text.slice(text.indexOf('Failures (2):'))
    expect(details).toContain(
      '2) registration/status-201: Registration answers 201 Created  [failed]',
    )
    // The requirement with its title and spec link; expected and actual once.
    expect(details).toContain(
      '   step reg: status is 201 (must)\n' +
        '     R7591-3.2.1-a "Success is 201 Created with a JSON object body" ' +
        '(RFC 7591 §3.2.1 https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1)\n' +
        '     expected status 201, got 200 <b>&</b>\n',
    )
    expect(details).not.toContain('     expected: 201')
    expect(details).not.toContain('     actual:   200')
    // A value the message does not show is given once.
    expect(details).toContain('     actual:   {\n')
    expect(details).toContain(
      'POST https://as.example.test/oauth/v2/oauth-dynamic-client-registration -> 200 (12 ms)',
    )
    expect(details).toContain('> authorization: Bearer [REDACTED]')
    expect(details).toContain('step login errored: E_LOGIN')
    // The expected failure is not among the failures.
    expect(details.slice(0, details.indexOf('Warnings'))).not.toContain('token/refresh')
  })

  it('ends with the counts, the result and last the requirement counts', async () => {
    const text = await render()
    const lines = text.trimEnd().split('\n')
    expect(lines.slice(-4)).toEqual([
      '2 passed, 2 failed, 1 warned, 2 inconclusive, 1 skipped, 1 errored',
      '9 scenarios in 1.2 s · 1 known deviation · 1 stale expectation · target acme <idp> · seed 42',
      'Result: ERRORED',
      'Requirements: 1 pass, 2 fail (1 known deviation), 2 warn, 2 inconclusive, ' +
        '1 not-applicable, 1 untested',
    ])
  })

  it('groups inconclusive scenarios by root cause, one line per cause', async () => {
    const text = await render()
    const block = text.slice(text.indexOf('Inconclusive (2 scenarios, 1 root cause):'))
    expect(block.split('\n')[1]).toBe(
      '  ? register: status: expected 2xx, got 400: blocks 2 scenarios; ' +
        'the answer violates R7591-3.2.1-a',
    )
    // Inconclusive scenarios are not failures.
    const failures = text.slice(text.indexOf('Failures'), text.indexOf('Warnings'))
    expect(failures).not.toContain('registration/redirect-uris')
  })

  it('lists the requirements to review with their titles', async () => {
    const text = await render()
    const block = text.slice(text.indexOf('Requirements to review (6):')).split('\n')
    expect(block.slice(1, 7)).toEqual([
      '  ✗ fail                    R7591-3.2.1-a  Success is 201 Created with a JSON object body',
      '  x fail (known deviation)  R6749-6-a      Refresh tokens are rotated',
      '  ! warn                    R7591-3.2.1-c  Each registration gets a new client_id',
      '  ! warn                    R6749-5.1-b    Token responses carry Pragma: no-cache',
      '  ? inconclusive            R7591-2-a      redirect_uris are registered as given',
      '  ? inconclusive            R7591-2.3-a',
    ])
    // Passed, not-applicable and untested requirements are only counted.
    expect(block.join('\n')).not.toContain('R7591-3-d  ')
  })

  it('lists known deviations, stale expectations, warnings, leftovers, notices and caveats', async () => {
    const text = await render()
    expect(text).toContain(
      'Known deviations from the expectations file (1):\n' +
        '  x R6749-6-a in token/refresh: refresh tokens are not rotated (vendor docs)',
    )
    expect(text).toContain(
      'Stale expectations (1) - update the expectations file:\n' +
        '  ✗ stale expectation: R7591-3-d now holds (server accepts IAT reuse (ticket 42))',
    )
    expect(text).toContain(
      '  ! registration/cache-control > reg: Pragma no-cache [R6749-5.1-b]: header pragma is absent',
    )
    expect(text).toContain('  client-9: DELETE answered 500')
    expect(text).toContain('  - TLS verification is off for this target (insecure: true)')
    expect(text).toContain(
      'Caveats:\n  - the target runs on plain http: transport security was not tested',
    )
  })

  it('marks an excused check inside a failure that still fails the run', async () => {
    const stream = await memoryStream()
    const scenarios = sampleScenarios()
    const failed = scenarios.find((s) => s.id === 'registration/status-201')
    const secret = failed?.steps[0]?.checks[0]
    if (!secret) throw new Error('sample changed')
    secret.level = 'must'
    secret.excused = 'secrets are weak on purpose (ticket 9)'
    await replay(createConsoleReporter({ stream, env: {} }), sampleReport({ scenarios }))
    const details = stream.text().slice(stream.text().indexOf('Failures (2):'))
    expect(details).toContain(
      '   step reg: secret differs (must)\n' +
        '     R7591-3.2.1-c "Each registration gets a new client_id" (RFC 7591 §3.2.1 ' +
        'https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1)\n' +
        '     known deviation: secrets are weak on purpose (ticket 9)\n',
    )
    expect(details).toContain('   step reg: status is 201 (must)')
    expect(stream.text()).toContain('✗ failed  registration/status-201  (10 ms)')
  })

  it('strips terminal control sequences coming from the target', async () => {
    const text = await render()
    expect(text).not.toContain('\u0001')
    expect(HOSTILE_TITLE).toContain('\u001b')
    expect(text).not.toMatch(/\u001b\[31m/)
  })

  it('truncates long bodies to about 1 KiB', async () => {
    const stream = await memoryStream()
    const scenarios = sampleScenarios()
    const failed = scenarios.find((s) => s.id === 'registration/status-201')
    const exchange = failed?.steps[0]?.exchanges[0]
    if (!exchange?.response) throw new Error('sample changed')
    exchange.response.body = `{"filler":"${'y'.repeat(5000)}"}`
    await replay(createConsoleReporter({ stream, env: {} }), sampleReport({ scenarios }))
    // JSON bodies are pretty-printed first: `{\n  "filler": "yyy…"\n}`.
    const pretty = exchange.response.body.length + 5
    expect(stream.text()).toContain(`… (${pretty - 1024} more characters)`)
    expect(stream.text()).toContain('< {\n')
    expect(stream.text()).not.toContain('y'.repeat(1100))
  })
})

describe('console reporter on a TTY', () => {
  it('rewrites a progress line in place and colours the output', async () => {
    const text = await render({ isTTY: true })
    expect(text).toContain('\r\u001b[2K')
    expect(text).toMatch(/\d\/9/)
    expect(text).toContain('\u001b[32m✓\u001b[39m passed  registration/basic')
    // The last thing before the summary clears the progress line.
    expect(text).toMatch(/\r\u001b\[2K\n(\u001b\[[0-9;]*m)*Failures/)
  })

  it('honours NO_COLOR and FORCE_COLOR', async () => {
    const noColor = await render({ isTTY: true, env: { NO_COLOR: '1' } })
    expect(noColor).not.toMatch(/\u001b\[3\dm/)
    const forced = await render({ isTTY: false, env: { FORCE_COLOR: '1' } })
    expect(forced).toMatch(/\u001b\[31m/)
    expect(shouldUseColor({ isTTY: true }, {})).toBe(true)
    expect(shouldUseColor({ isTTY: false }, {})).toBe(false)
    expect(shouldUseColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false)
    expect(shouldUseColor({ isTTY: true }, { FORCE_COLOR: '0' })).toBe(false)
    expect(shouldUseColor({ isTTY: false }, { NO_COLOR: '1' }, true)).toBe(true)
  })
})
