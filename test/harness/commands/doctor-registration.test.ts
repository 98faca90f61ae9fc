import { describe, expect, it } from 'vitest'
import { loginFix, registeringTokenFix } from '../../../harness/commands/doctor-registration.ts'
import { HarnessError } from '../../../harness/errors.ts'

describe('loginFix', () => {
  const wrapped = (inner: HarnessError) => new HarnessError('E_LOGIN', `login: ${inner.message}`, { cause: inner })

  it('names the targets.yaml key of the refusal that stopped the login', () => {
    const credentials = new HarnessError('E_ORIGIN', 'refused to send credentials to http://x.test: not the issuer')
    expect(loginFix(wrapped(credentials))).toMatch(/credential_origins/)
    const linkLocal = new HarnessError('E_ORIGIN', 'refused to contact http://169.254.169.254: a link-local or cloud metadata address')
    expect(loginFix(wrapped(linkLocal))).toMatch(/allow_link_local/)
  })

  it('points at the login recipe for anything else', () => {
    expect(loginFix(new HarnessError('E_LOGIN', 'no login form found'))).toMatch(/login\.steps/)
    expect(loginFix(new HarnessError('E_ORIGIN', 'unsupported URL scheme: file:///x'))).toMatch(/login\.steps/)
  })
})

describe('registeringTokenFix', () => {
  it("names the strategy's own setting: a static token has no scope", () => {
    expect(registeringTokenFix('static')).toMatch(/^check registration\.iat\.token:/)
    expect(registeringTokenFix('command')).toMatch(/^check registration\.iat\.command:/)
    expect(registeringTokenFix('client_credentials')).toMatch(/^check registration\.iat\.scope:/)
  })
})
