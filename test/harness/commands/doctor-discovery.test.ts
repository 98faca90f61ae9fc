import { describe, expect, it } from 'vitest'
import { checkDiscovery, tlsSource } from '../../../harness/commands/doctor-discovery.ts'
import { createHttpClient } from '../../../harness/http/client.ts'
import { createOriginPolicy } from '../../../harness/http/origin-policy.ts'
import { startToyServer } from '../../e2e/helpers/toy-server.ts'
import { forFile } from '../../support/for-file.ts'

const toy = await forFile(startToyServer('good'))

function client(issuer: string) {
  return createHttpClient({ originPolicy: createOriginPolicy({ issuer, credentialOrigins: [] }) })
}

describe('checkDiscovery', () => {
  it('judges both well-known URLs: OpenID found, RFC 8414 missing is a hint', async () => {
    const http = client(toy.issuer)
    try {
      const result = await checkDiscovery({ name: 'toy', issuer: toy.issuer }, http, {})
      expect(result.blocked).toBe(false)
      expect(result.rfc8414).toBe(false)
      expect(result.metadata?.['registration_endpoint']).toBe(`${toy.origin}/oauth/register`)
      expect(result.findings.map((f) => [f.check, f.status])).toEqual([
        ['tls', 'ok'],
        ['discovery', 'ok'],
        ['discovery', 'hint'],
      ])
      expect(result.findings[2]?.fix).toMatch(/should not declare rfc8414_metadata/)
    } finally {
      await http.close()
    }
  })

  it('says when the document names another issuer', async () => {
    const http = client(toy.issuer)
    try {
      const result = await checkDiscovery({ name: 'toy', issuer: `${toy.issuer}/` }, http, {})
      expect(result.findings[1]).toMatchObject({
        check: 'discovery',
        status: 'hint',
        message: `OpenID configuration: issuer is "${toy.issuer}", not ${toy.issuer}/`,
      })
    } finally {
      await http.close()
    }
  })

  it('stops at an unreachable target with one failure naming it', async () => {
    const issuer = 'http://127.0.0.1:9/oauth'
    const http = client(issuer)
    try {
      const result = await checkDiscovery({ name: 'gone', issuer }, http, {})
      expect(result.blocked).toBe(true)
      expect(result.findings).toHaveLength(1)
      expect(result.findings[0]).toMatchObject({ check: 'discovery', status: 'fail' })
      expect(result.findings[0]?.error?.code).toBe('E_TARGET_UNREACHABLE')
    } finally {
      await http.close()
    }
  })
})

describe('tlsSource', () => {
  it('names where trust comes from', () => {
    const issuer = 'https://idp.test'
    expect(tlsSource({ name: 'a', issuer: 'http://localhost' }, {})).toMatch(/^cleartext http/)
    expect(tlsSource({ name: 'a', issuer, tls: { ca: '/ca.pem' } }, {})).toBe('system CAs + tls.ca /ca.pem')
    expect(tlsSource({ name: 'a', issuer }, { NODE_EXTRA_CA_CERTS: '/x.pem' })).toBe(
      'system CAs + NODE_EXTRA_CA_CERTS /x.pem',
    )
    expect(tlsSource({ name: 'a', issuer, tls: { insecure: true } }, {})).toMatch(/DISABLED/)
    expect(tlsSource({ name: 'a', issuer }, {})).toBe('system CAs')
  })
})
