import { describe, expect, it } from 'vitest'
import { DEFAULT_CONCURRENCY, runScheduled, scheduleLimits } from '../../../harness/runner/schedule.ts'
import type { ResolvedTarget } from '../../../harness/model/target.ts'

const target = (concurrency?: number): ResolvedTarget => ({
  name: 't',
  issuer: 'https://t.example',
  metadata: {},
  endpoints: {},
  capabilities: [],
  ...(concurrency ? { limits: { concurrency } } : {}),
})

/** Runs items whose work ends when the test says, recording what runs at once. */
function harness() {
  const running = new Set<string>()
  const peaks = { total: 0, browser: 0 }
  const started: string[] = []
  const finishers = new Map<string, () => void>()
  const work = (name: string) =>
    new Promise<void>((resolve) => {
      started.push(name)
      running.add(name)
      peaks.total = Math.max(peaks.total, running.size)
      peaks.browser = Math.max(peaks.browser, [...running].filter((n) => n.startsWith('b')).length)
      finishers.set(name, () => {
        running.delete(name)
        resolve()
      })
    })
  const finish = async (name: string) => {
    finishers.get(name)?.()
    for (let i = 0; i < 5; i += 1) await Promise.resolve()
  }
  return { running, peaks, started, work, finish }
}

describe('scheduling', () => {
  it('caps the run by --workers and the target, and browser logins by the CPU count', () => {
    expect(scheduleLimits(undefined, target(), 2)).toEqual({ total: DEFAULT_CONCURRENCY, browser: 2 })
    expect(scheduleLimits(undefined, target(3), 2)).toEqual({ total: 3, browser: 2 })
    expect(scheduleLimits(16, target(4), 8)).toEqual({ total: 4, browser: 4 })
    expect(scheduleLimits(1, target(), 8)).toEqual({ total: 1, browser: 1 })
  })

  it('starts browser scenarios first, at most `browser` of them, and HTTP ones alongside', async () => {
    const h = harness()
    const items = ['h1', 'b1', 'h2', 'b2', 'b3', 'h3'].map((name) => ({
      item: name,
      browser: name.startsWith('b'),
    }))
    const done = runScheduled(items, { total: 4, browser: 2 }, h.work)
    await h.finish('none')
    expect(h.started).toEqual(['b1', 'b2', 'h1', 'h2'])
    await h.finish('h1')
    // A free slot takes HTTP work while both browser slots are busy.
    expect(h.started.at(-1)).toBe('h3')
    await h.finish('b1')
    expect(h.started.at(-1)).toBe('b3')
    for (const name of ['h2', 'h3', 'b2', 'b3']) await h.finish(name)
    await done
    expect(h.peaks).toEqual({ total: 4, browser: 2 })
  })

  it('runs one at a time with one worker, in the given order within each kind', async () => {
    const h = harness()
    const items = ['h1', 'b1', 'b2'].map((name) => ({ item: name, browser: name.startsWith('b') }))
    const done = runScheduled(items, { total: 1, browser: 1 }, h.work)
    for (const name of ['b1', 'b2', 'h1']) {
      await h.finish('none')
      expect([...h.running]).toEqual([name])
      await h.finish(name)
    }
    await done
    expect(h.started).toEqual(['b1', 'b2', 'h1'])
  })
})
