import { getEventListeners } from 'node:events'
import { describe, expect, it } from 'vitest'
import { followAbort } from '../../../harness/http/abort-relay.ts'

describe('followAbort', () => {
  it('puts one listener on the signal however many follow it, and takes it off with the last', () => {
    const source = new AbortController()
    const followers = Array.from({ length: 25 }, () => new AbortController())
    const stops = followers.map((follower) => followAbort(source.signal, follower))
    expect(getEventListeners(source.signal, 'abort')).toHaveLength(1)
    for (const stop of stops) stop()
    expect(getEventListeners(source.signal, 'abort')).toHaveLength(0)
    // Followed again afterwards: a listener again.
    const stop = followAbort(source.signal, new AbortController())
    expect(getEventListeners(source.signal, 'abort')).toHaveLength(1)
    stop()
  })

  it('aborts the followers of the moment with the signal reason, not those that stopped', () => {
    const source = new AbortController()
    const [kept, left] = [new AbortController(), new AbortController()]
    followAbort(source.signal, kept)
    followAbort(source.signal, left)()
    const reason = new Error('interrupted by SIGINT')
    source.abort(reason)
    expect(kept.signal.reason).toBe(reason)
    expect(left.signal.aborted).toBe(false)
  })

  it('aborts at once a follower of a signal already aborted', () => {
    const reason = new Error('scenario timed out')
    const follower = new AbortController()
    const stop = followAbort(AbortSignal.abort(reason), follower)
    expect(follower.signal.reason).toBe(reason)
    stop()
  })
})
