import { describe, expect, it } from 'vitest'
import {
  carriesCredentials,
  createOriginPolicy,
  isLinkLocalOrMetadata,
  targetOriginPolicy,
} from '../../../harness/http/origin-policy.ts'

const policy = createOriginPolicy({
  issuer: 'https://as.test/oauth',
  credentialOrigins: ['https://login.as.test'],
})

describe('the origin policy', () => {
  it('recognises credentials in the Authorization header and in form and JSON bodies', () => {
    expect(carriesCredentials({ headers: { Authorization: 'Bearer x' } })).toBe(true)
    expect(carriesCredentials({ body: 'grant_type=client_credentials&client_secret=s' })).toBe(true)
    expect(carriesCredentials({ body: '{"client_id":"c","client_secret":"s"}' })).toBe(true)
    expect(carriesCredentials({ body: 'grant_type=client_credentials&scope=dcr' })).toBe(false)
    expect(carriesCredentials({ body: '{"redirect_uris":["https://rp.test/cb"]}' })).toBe(false)
  })

  it("sends credentials only to the issuer's origin and the allowed ones", () => {
    const withToken = (url: string) => ({ url, headers: { authorization: 'Bearer t' } })
    expect(policy.refusal(withToken('https://as.test/oauth/register/c1'))).toBeUndefined()
    expect(policy.refusal(withToken('https://login.as.test/token'))).toBeUndefined()
    expect(policy.refusal(withToken('https://evil.test/register/c1'))).toBe(
      "refused to send credentials to https://evil.test: not the issuer's origin (allow it with credential_origins in targets.yaml)",
    )
    // Without credentials any origin may be read (a jwks_uri, a client's logo).
    expect(policy.refusal({ url: 'https://evil.test/jwks' })).toBeUndefined()
  })

  it('counts a body it could not read as holding a credential', () => {
    const unread = (url: string) => ({ url, body: undefined, bodyUnread: true })
    expect(policy.refusal(unread('https://evil.test/login'))).toMatch(/refused to send credentials/)
    expect(policy.refusal(unread('https://login.as.test/login'))).toBeUndefined()
  })

  it('never contacts link-local or metadata addresses unless the target allows them', () => {
    expect(isLinkLocalOrMetadata('169.254.169.254')).toBe(true)
    expect(isLinkLocalOrMetadata('[fe80::1]')).toBe(true)
    expect(isLinkLocalOrMetadata('metadata.google.internal')).toBe(true)
    expect(isLinkLocalOrMetadata('127.0.0.1')).toBe(false)
    expect(policy.refusal({ url: 'http://169.254.169.254/latest/meta-data/' })).toMatch(/link-local/)
    const open = createOriginPolicy({ issuer: 'http://169.254.169.254', allowLinkLocal: true })
    expect(open.refusal({ url: 'http://169.254.169.254/x', headers: { authorization: 'Basic x' } })).toBeUndefined()
  })

  it("reads a target's entry: credential_origins, allow_link_local, the login password", () => {
    const target = {
      name: 't',
      issuer: 'https://as.test',
      credential_origins: ['https://login.as.test'],
      login: { username: 'alice', password: 'pw-secret-1' },
    }
    const policy = targetOriginPolicy(target)
    const withPassword = (url: string) => ({ url, body: 'user=alice&pw=pw-secret-1' })
    expect(policy.refusal(withPassword('https://login.as.test/login'))).toBeUndefined()
    expect(policy.refusal(withPassword('https://evil.test/login'))).toMatch(/refused to send credentials/)
    expect(policy.refusal({ url: 'http://169.254.169.254/' })).toMatch(/link-local/)
    const open = targetOriginPolicy({ ...target, allow_link_local: true })
    expect(open.refusal({ url: 'http://169.254.169.254/' })).toBeUndefined()
  })

  it("opens the cleartext probe's origins to the probe's own requests only", () => {
    const target = { name: 't', issuer: 'https://as.test' }
    const policy = targetOriginPolicy(target, ['http://as.test:443', 'http://as.test'])
    const registration = (url: string) => ({ url, headers: { authorization: 'Bearer iat-1' } })
    for (const url of ['http://as.test:443/register', 'http://as.test/register']) {
      expect(policy.refusal({ ...registration(url), cleartextProbe: true })).toBeUndefined()
      // Any other request with a credential (a login form, a token request) is refused there.
      expect(policy.refusal(registration(url))).toMatch(/refused to send credentials/)
    }
    expect(policy.refusal({ ...registration('http://other.test/x'), cleartextProbe: true })).toMatch(/refused/)
  })
})
