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
  it('prints one line per scenario with its outcome', async () => {
    const text = await render()
    const lines = text.split('\n')
    expect(lines).toContain('✓ passed  registration/basic  (12 ms)')
    expect(lines).toContain('✗ failed  registration/status-201  (10 ms)')
    expect(lines).toContain('! warned  registration/cache-control  (10 ms)')
    expect(lines).toContain(
      '- skipped  management/read: requires capability rfc7592 (not claimed by the target)',
    )
    expect(
      lines.some((line) => line.startsWith('E errored  authorize/code-flow  (40 ms): E_LOGIN:')),
    ).toBe(true)
    expect(lines).toContain(
      'x xfail  token/refresh  (10 ms): expected: refresh tokens are not rotated (vendor docs)',
    )
    expect(lines.some((line) => line.startsWith('✗ stale  iat/one-time'))).toBe(true)
    // No escape sequences at all: no colours, no progress line.
    expect(text).not.toMatch(/\u001b/)
    expect(text).not.toContain('\r')
  })

  it('details each unexpected failure: step, check, level, requirement, expected, actual, exchange', async () => {
    const text = await render()
    const details = text.slice(text.indexOf('Failures (2):'))
    expect(details).toContain(
      '2) registration/status-201: Registration answers 201 Created  [failed]',
    )
    expect(details).toContain('   step reg: status is 201 (must, R7591-3.2.1-a)')
    expect(details).toContain('     expected status 201, got 200 <b>&</b>')
    expect(details).toContain('     expected: 201')
    expect(details).toContain('     actual:   200')
    expect(details).toContain(
      'POST https://as.example.test/oauth/v2/oauth-dynamic-client-registration -> 200 (12 ms)',
    )
    expect(details).toContain('> authorization: Bearer [REDACTED]')
    expect(details).toContain('step login errored: E_LOGIN')
    // The expected failure is not among the failures.
    expect(details.slice(0, details.indexOf('Warnings'))).not.toContain('token/refresh')
  })

  it('ends with the summary line, counts, duration, expectations, leftovers and notices', async () => {
    const text = await render()
    const lines = text.split('\n')
    const summary = lines.findIndex((line) => /^\d+ passed, \d+ failed/.test(line))
    expect(lines[summary]).toBe('2 passed, 2 failed, 1 warned, 1 skipped, 1 errored')
    expect(lines[summary + 1]).toContain('7 scenarios in 1.2 s')
    expect(lines[summary + 1]).toContain('1 stale expectation')
    expect(lines[summary + 2]).toBe('Result: ERRORED')
    expect(text).toContain('Stale expectations (1)')
    expect(text).toContain(
      '  ✗ iat/one-time: stale expectation: expected failed (server accepts IAT reuse (ticket 42)) but passed',
    )
    expect(text).toContain(
      '  ! registration/cache-control > reg: Pragma no-cache [R6749-5.1-b]: header pragma is absent',
    )
    expect(text).toContain('  client-9: DELETE answered 500')
    expect(text).toContain('  - TLS verification is off for this target (insecure: true)')
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
    expect(stream.text()).toContain(`… (${exchange.response.body.length - 1024} more characters)`)
    expect(stream.text()).not.toContain('y'.repeat(1100))
  })
})

describe('console reporter on a TTY', () => {
  it('rewrites a progress line in place and colours the output', async () => {
    const text = await render({ isTTY: true })
    expect(text).toContain('\r\u001b[2K')
    expect(text).toMatch(/\d\/7/)
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
