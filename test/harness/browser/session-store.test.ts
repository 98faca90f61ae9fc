import { describe, expect, it } from 'vitest'
import { freshProgress, sessionRejected } from '../../../harness/browser/login-progress.ts'
import type { AuthorizeOutcome } from '../../../harness/browser/types.ts'
import {
  cookieForHosts,
  createSessionStore,
  sessionHosts,
} from '../../../harness/browser/session-store.ts'

const soon = () => Date.now() + 5_000

describe('the stored login session', () => {
  it('makes the first claim log in, then hands its session to later claims', async () => {
    const store = createSessionStore<string>(true)
    const first = await store.claim(soon())
    expect(first.session).toBeUndefined()
    first.settle('sid=1')
    expect((await store.claim(soon())).session).toBe('sid=1')
  })

  it('lets a claim wait for the login in flight instead of logging in alongside', async () => {
    const store = createSessionStore<string>(true)
    const leader = await store.claim(soon())
    const order: string[] = []
    const waiting = store.claim(soon()).then((claim) => {
      order.push(`waiter got ${claim.session}`)
      return claim
    })
    order.push('leader settles')
    leader.settle('sid=2')
    await waiting
    expect(order).toEqual(['leader settles', 'waiter got sid=2'])
  })

  it('passes the duty on when the leader ends without a session', async () => {
    const store = createSessionStore<string>(true)
    const leader = await store.claim(soon())
    const waiting = store.claim(soon())
    leader.settle(undefined)
    const next = await waiting
    expect(next.session).toBeUndefined()
    next.settle('sid=3')
    expect((await store.claim(soon())).session).toBe('sid=3')
  })

  it('stops waiting at the deadline and logs in itself', async () => {
    const store = createSessionStore<string>(true)
    await store.claim(soon()) // a leader that never settles
    const late = await store.claim(Date.now() + 20)
    expect(late.session).toBeUndefined()
    late.settle('sid=4')
    expect((await store.claim(soon())).session).toBe('sid=4')
  })

  it('keeps nothing when reuse is off', async () => {
    const store = createSessionStore<string>(false)
    const first = await store.claim(soon())
    first.settle('sid=5')
    expect(store.enabled).toBe(false)
    expect((await store.claim(soon())).session).toBeUndefined()
  })

  it("takes the cookies of the issuer's, the login page's and credential origins' hosts", () => {
    const hosts = sessionHosts({
      issuer: 'https://idp.example.com/oauth',
      endpoints: { authorization_endpoint: 'https://login.example.com/authorize' },
      credential_origins: ['https://sso.example.net'],
    })
    expect(hosts.sort()).toEqual(['idp.example.com', 'login.example.com', 'sso.example.net'])
    expect(cookieForHosts('.example.com', hosts)).toBe(true)
    expect(cookieForHosts('login.example.com', hosts)).toBe(true)
    expect(cookieForHosts('127.0.0.1', hosts)).toBe(false)
    expect(cookieForHosts('other.example.org', hosts)).toBe(false)
  })
})

describe('a stored session the server did not accept', () => {
  it('is replaced by the fresh one, or forgotten, but never replaces a newer one', async () => {
    const store = createSessionStore<string>(true)
    ;(await store.claim(Date.now() + 1_000)).settle('s1')
    store.replace('s0', 's9') // stale news about an older session: ignored
    expect((await store.claim(Date.now() + 1_000)).session).toBe('s1')
    store.replace('s1', 's2')
    expect((await store.claim(Date.now() + 1_000)).session).toBe('s2')
    store.replace('s2', undefined)
    const next = await store.claim(Date.now() + 1_000)
    expect(next.session).toBeUndefined()
  })

  it('counts as rejected when the attempt failed or ran an interaction without a redirect', () => {
    const page = { redirected: false } as AuthorizeOutcome
    const redirected = { redirected: true } as AuthorizeOutcome
    const interacted = { loginSubmitted: false, interacted: true }
    expect(sessionRejected({ error: new Error('400') }, freshProgress())).toBe(true)
    expect(sessionRejected({ outcome: page }, interacted)).toBe(true)
    // An error page straight away (e.g. an unregistered redirect URI) is the scenario's answer.
    expect(sessionRejected({ outcome: page }, freshProgress())).toBe(false)
    expect(sessionRejected({ outcome: redirected }, interacted)).toBe(false)
  })
})
