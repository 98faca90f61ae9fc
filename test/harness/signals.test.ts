import { describe, expect, it } from 'vitest'
import { hardQuitText, interruptOnSignals } from '../../harness/signals.ts'
import { afterGrace } from '../../harness/runner/interrupt.ts'
import { captureStream } from '../e2e/helpers/streams.ts'

describe('interruptOnSignals', () => {
  it('aborts on the first signal, quits with 130 on the second and lists what is left', () => {
    const stderr = captureStream()
    const exits: number[] = []
    const interrupts = interruptOnSignals({
      stderr,
      pending: () => [{ client_id: 'c1', registration_client_uri: 'https://as.test/reg/c1' }],
      exit: (code) => void exits.push(code),
    })
    try {
      process.emit('SIGINT', 'SIGINT')
      expect(interrupts.signal.aborted).toBe(true)
      expect((interrupts.signal.reason as Error).message).toBe('interrupted by SIGINT')
      expect(exits).toEqual([])
      process.emit('SIGTERM', 'SIGTERM')
      expect(exits).toEqual([130])
      expect(stderr.text()).toMatch(/repeat to quit now\n/)
      expect(stderr.text()).toContain('leftover client: c1 (https://as.test/reg/c1)')
    } finally {
      interrupts.dispose()
    }
    expect(process.listenerCount('SIGHUP')).toBe(0)
  })

  it('caps a hostile client_id in the hard-quit list', () => {
    const text = hardQuitText('SIGINT', [{ client_id: 'c'.repeat(900_000) }])
    expect(text.length).toBeLessThan(1_000)
    expect(text).toMatch(/1 registered client\(s\) not deleted:\n {2}leftover client: c+…\[truncated 899488 chars\]/)
    expect(hardQuitText('SIGINT', [])).toMatch(/no registered client is left/)
  })
})

describe('afterGrace', () => {
  it('follows the interrupt only after the grace period', async () => {
    const interrupt = new AbortController()
    const grace = afterGrace(interrupt.signal, 20)
    interrupt.abort(new Error('interrupted by SIGINT'))
    expect(grace.signal?.aborted).toBe(false)
    await new Promise((resolve) => grace.signal?.addEventListener('abort', resolve, { once: true }))
    expect((grace.signal?.reason as Error).message).toBe('interrupted by SIGINT')
    grace.dispose()
  })

  it('never fires when disposed first', async () => {
    const interrupt = new AbortController()
    const grace = afterGrace(interrupt.signal, 5)
    grace.dispose()
    interrupt.abort()
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(grace.signal?.aborted).toBe(false)
  })
})
