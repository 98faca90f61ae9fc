import { describe, expect, it } from 'vitest'
import type { CDPSession } from 'playwright-core'
import type { PausedRequest } from '../../../harness/browser/paused-request.ts'
import {
  answerRedirectHop,
  redirectRefusal,
  type RedirectHop,
} from '../../../harness/browser/redirect-guard.ts'
import { createOriginPolicy } from '../../../harness/http/origin-policy.ts'

const ISSUER = 'http://127.0.0.1:4000'
const FOREIGN = 'http://127.0.0.1:5000'
const CALLBACK = 'http://127.0.0.1:6000'
const PASSWORD = 'p@ss word-91'
const rules = {
  policy: createOriginPolicy({
    issuer: ISSUER,
    credentialOrigins: ['https://login.example'],
    secretValues: [PASSWORD],
  }),
  ownOrigins: [CALLBACK],
}

/** The login POST answered `status` with a Location of `location`. */
const hop = (status: number, location: string, body = 'username=alice&password=x'): RedirectHop => ({
  status,
  method: 'POST',
  url: `${ISSUER}/login`,
  location,
  body,
})

describe('redirect guard: which redirect hops would carry a credential off the allowed origins', () => {
  it('refuses a 307 or 308 that would re-send the login body to a foreign origin, in one line', () => {
    for (const status of [307, 308]) {
      expect(redirectRefusal(hop(status, `${FOREIGN}/steal`), rules)).toBe(
        `POST ${FOREIGN}/steal (a ${status} redirect from ${ISSUER}) failed: refused to send ` +
          `credentials to ${FOREIGN}: not the issuer's origin (allow it with credential_origins in targets.yaml)`,
      )
    }
  })

  it('counts the password as a credential whatever its field is called (raw or form-encoded)', () => {
    const body = `user=alice&pw=${encodeURIComponent(PASSWORD)}`
    expect(redirectRefusal(hop(307, `${FOREIGN}/x`, body), rules)).toMatch(/refused to send credentials/)
    expect(redirectRefusal(hop(307, `${FOREIGN}/x`, 'user=alice&pw=other'), rules)).toBeUndefined()
  })

  it('judges a body too long for the CDP event as holding a credential', () => {
    const unread = { ...hop(307, `${FOREIGN}/x`), body: undefined, bodyUnread: true }
    expect(redirectRefusal(unread, rules)).toMatch(
      /refused to send credentials to .*\(a body too long to read counts as holding one\)$/,
    )
    // Where a credential may go, so may the unread body.
    expect(redirectRefusal({ ...unread, location: '/login/next' }, rules)).toBeUndefined()
    expect(redirectRefusal({ ...unread, location: `${CALLBACK}/cb/x` }, rules)).toBeUndefined()
  })

  it('lets through what re-sends no credential elsewhere', () => {
    // 301/302/303 turn the POST into a GET without a body (RFC 9110 §15.4).
    for (const status of [301, 302, 303]) expect(redirectRefusal(hop(status, `${FOREIGN}/x`), rules)).toBeUndefined()
    // The issuer's own origin (a relative Location), an allowed origin, the harness's callback.
    expect(redirectRefusal(hop(307, '/login/next'), rules)).toBeUndefined()
    expect(redirectRefusal(hop(307, 'https://login.example/next'), rules)).toBeUndefined()
    expect(redirectRefusal(hop(307, `${CALLBACK}/cb/x?code=1`), rules)).toBeUndefined()
    // No body, or no Location Chromium could follow.
    expect(redirectRefusal({ ...hop(307, `${FOREIGN}/x`), method: 'GET', body: undefined }, rules)).toBeUndefined()
    expect(redirectRefusal(hop(307, 'http://[bad'), rules)).toBeUndefined()
  })

  it('refuses a link-local Location for a credential-bearing body too', () => {
    expect(redirectRefusal(hop(308, 'http://169.254.169.254/latest'), rules)).toMatch(
      /failed: refused to contact http:\/\/169\.254\.169\.254: a link-local .*allow_link_local/,
    )
  })
})

describe('redirect guard: how a paused document response is answered', () => {
  /** The CDP commands the guard sent for one paused 307 login POST, and what it refused. */
  function answer(location: string, request: Partial<PausedRequest['request']>) {
    const sent: [string, Record<string, unknown>][] = []
    const cdp = {
      send: async (method: string, params: Record<string, unknown>) => void sent.push([method, params]),
    }
    const refused: string[] = []
    const event: PausedRequest = {
      requestId: 'r-1',
      request: { method: 'POST', url: `${ISSUER}/login`, ...request },
      responseStatusCode: 307,
      responseHeaders: [
        { name: 'Location', value: location },
        { name: 'Content-Length', value: '0' },
      ],
    }
    answerRedirectHop(cdp as unknown as CDPSession, event, rules, (why) => refused.push(why))
    return { methods: sent.map(([method]) => method), params: sent[0]?.[1], refused }
  }

  it('fails a hop whose body the event does not hold (hasPostData only), towards a foreign origin', () => {
    const { methods, refused } = answer(`${FOREIGN}/x`, { hasPostData: true })
    expect(methods).toEqual(['Fetch.failRequest'])
    expect(refused).toEqual([expect.stringMatching(/a body too long to read counts as holding one\)$/)])
  })

  it('gives the same hop at home a followable copy, without the framing headers', () => {
    const { methods, params, refused } = answer('/login/next', { hasPostData: true })
    expect(refused).toEqual([])
    expect(methods).toEqual(['Fetch.fulfillRequest'])
    expect(params).toEqual({
      requestId: 'r-1',
      responseCode: 307,
      responseHeaders: [{ name: 'Location', value: '/login/next' }],
      body: '',
    })
  })

  it('lets a 307 of a request without a body go on', () => {
    expect(answer(`${FOREIGN}/x`, {}).methods).toEqual(['Fetch.continueRequest'])
  })
})
