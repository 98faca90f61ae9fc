/**
 * The fuzz report's console text (harness/fuzz/report.ts): its replay and reproduce lines carry
 * everything a rerun needs, the reference server's faults included.
 */
import { describe, expect, it } from 'vitest'
import type { FuzzReport } from '../../../harness/fuzz/fuzz.ts'
import { formatReport } from '../../../harness/fuzz/report.ts'
import type { Finding } from '../../../harness/fuzz/finding.ts'
import { TOOL } from '../../../harness/runner/run-report.ts'

const finding: Finding = {
  property: 'fragment refused',
  requirement: 'R6749-3.1.2-a',
  level: 'must',
  kind: 'fragment',
  check: 'a redirect URI with a fragment is refused',
  message: 'expected 4xx, got 201',
  input: { metadata: { redirect_uris: ['https://rp.test/cb#x'] } },
  observed: { status: 201 },
  foundAtRun: 3,
  shrinks: 2,
  roundSeed: 7,
  scenario: { id: 'fuzz/fragment-refused-7', file: 'fuzz-fragment-refused-7.yaml', yaml: 'id: x\n' },
}

function report(faults?: string[]): FuzzReport {
  return {
    tool: TOOL,
    target: { name: 'reference', issuer: 'https://127.0.0.1:1/oauth' },
    seed: 42,
    budget: { runs: 200, timeBudgetMs: 60_000 },
    ...(faults ? { faults } : {}),
    runs: 3,
    shrinks: 2,
    durationMs: 1_000,
    stoppedBy: 'runs',
    status: 'failed',
    findings: [finding],
    answers: {},
    clients: { registered: 3, leftovers: [] },
    notices: [],
  }
}

describe('formatReport', () => {
  it('replays and reproduces with the faults the run injected', () => {
    const text = formatReport(report(['fragment-redirect-accepted', 'error-200']))
    const faults = '--fault fragment-redirect-accepted --fault error-200'
    expect(text).toContain(`replay: dcr-conformance fuzz --target reference ${faults} --seed 42 --runs 200`)
    expect(text).toContain(
      `reproduce: save as fuzz-fragment-refused-7.yaml, then: dcr-conformance --target reference ${faults} --suite fuzz-fragment-refused-7.yaml`,
    )
  })

  it('names no fault when none was injected', () => {
    const text = formatReport(report())
    expect(text).toContain('replay: dcr-conformance fuzz --target reference --seed 42 --runs 200')
    expect(text).not.toContain('--fault')
  })
})
