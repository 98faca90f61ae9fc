import { describe, expect, it } from 'vitest'
import { LiveValues } from '../../bench/replay-values.ts'

const RECORDED = 'https://127.0.0.1:1111'
const LIVE = 'https://127.0.0.1:2222'
const REG = '/oauth/v2/oauth-dynamic-client-registration'
const credentials = {
  iatClient: { id: 'iat-client', secret: 'iat-secret', scopes: ['dcr'] },
  password: 'live-password',
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`

/** Values after one live registration that answered for the recorded client `old-id`. */
function registered(): LiveValues {
  const values = new LiveValues(credentials, new Map([[RECORDED, LIVE]]), REG)
  values.learn(
    JSON.stringify({ client_id: 'old-id', client_secret: '[REDACTED]' }),
    JSON.stringify({ client_id: 'new-id', client_secret: 's-new', registration_access_token: 'rat-new' }),
    undefined,
  )
  return values
}

describe('LiveValues', () => {
  it('maps the recorded origin and each recorded client id to the live ones', () => {
    const values = registered()
    expect(values.map(`${RECORDED}${REG}/old-id`)).toBe(`${LIVE}${REG}/new-id`)
    expect(values.clients()).toEqual([['new-id', 'rat-new']])
  })

  it("fills a redacted Bearer on a client's configuration URI with that client's RAT", () => {
    const values = registered()
    const url = new URL(`${LIVE}${REG}/new-id`)
    const { headers } = values.request(url, { authorization: 'Bearer [REDACTED]', host: 'x' }, undefined)
    expect(headers).toEqual({ authorization: 'Bearer rat-new' })
  })

  it('fills a redacted Basic by the grant: the IAT client for scope dcr, else the last client', () => {
    const values = registered()
    const token = new URL(`${LIVE}/oauth/v2/oauth-token`)
    const header = { authorization: 'Basic [REDACTED]' }
    const iat = values.request(token, header, 'grant_type=client_credentials&scope=dcr')
    expect(iat.headers.authorization).toBe(basic('iat-client', 'iat-secret'))
    const own = values.request(token, header, 'grant_type=authorization_code&code=[REDACTED]')
    expect(own.headers.authorization).toBe(basic('new-id', 's-new'))
  })

  it('fills form fields and JSON members it knows, and leaves the others redacted', () => {
    const values = registered()
    values.learn(undefined, '{}', `${RECORDED}/cb?code=live-code&state=s`)
    const url = new URL(`${LIVE}/login`)
    const form = values.request(url, {}, 'password=[REDACTED]&code=[REDACTED]&nonce=[REDACTED]')
    expect(form.body).toBe('password=live-password&code=live-code&nonce=[REDACTED]')
    const json = values.request(url, {}, '{"client_secret":"[REDACTED]","code_verifier":"[REDACTED]"}')
    expect(json.body).toBe('{"client_secret":"s-new","code_verifier":"[REDACTED]"}')
  })
})
