/** An interrupted fuzz run stops generating, deletes every client it registered, and exits 3. */
import { describe, expect, it } from 'vitest'
import { exitCodeOf, runFuzz } from '../../../harness/fuzz/fuzz.ts'
import { RunLedger } from '../../../harness/runner/ledger.ts'
import { repoRoot } from '../../../harness/scenario/vocabulary.ts'

describe('fuzz interrupted', () => {
  it('ends interrupted with no client left', { timeout: 300_000 }, async () => {
    const controller = new AbortController()
    const ledger = new RunLedger()
    // Interrupt as soon as the first client is registered (a real Ctrl-C comes at any time).
    const track = ledger.track.bind(ledger)
    ledger.track = (entry) => {
      track(entry)
      controller.abort(new Error('interrupted by SIGINT'))
    }
    const report = await runFuzz({ seed: 5, runs: 200, cwd: repoRoot(), signal: controller.signal, ledger })
    expect(report.status).toBe('interrupted')
    expect(report.stoppedBy).toBe('interrupt')
    expect(exitCodeOf(report)).toBe(3)
    expect(report.runs).toBeLessThan(200)
    expect(report.clients.registered).toBeGreaterThan(0)
    expect(report.clients.leftovers).toEqual([])
    expect(ledger.entries()).toEqual([])
  })
})
