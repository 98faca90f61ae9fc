import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { startReferenceTarget } from '../../builtin/reference-target.ts'
import { resolveTarget } from '../../harness/config/targets.ts'
import { obtainIat } from '../../harness/config/iat.ts'
import { createHttpClient } from '../../harness/http/client.ts'

describe('startReferenceTarget', () => {
  it('serves HTTPS on loopback, trusted through the fixture CA, with a working IAT strategy', async () => {
    const reference = await startReferenceTarget()
    const http = createHttpClient({
      tls: { ca: await readFile(reference.target.tls!.ca!, 'utf8') },
    })
    try {
      const { target } = reference
      expect(target.name).toBe('reference')
      expect(target.issuer).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//)
      expect(target.capabilities).toEqual(
        expect.arrayContaining(['rfc7592', 'delete', 'iat_required']),
      )
      expect(target.registration?.iat).toMatchObject({
        strategy: 'client_credentials',
        client_id: reference.server.registrationClient.client_id,
      })
      expect(target.login).toEqual({
        username: reference.server.user.username,
        password: reference.server.user.password,
      })
      expect(target.data?.['privileged_scope']).toBeDefined()
      const resolved = await resolveTarget(target, http)
      expect(resolved.endpoints['registration_endpoint']).toMatch(/^https:\/\/127\.0\.0\.1:\d+\//)
      const iat = await obtainIat(resolved, { http })
      expect(typeof iat.token).toBe('string')
    } finally {
      await http.close()
      await reference.close()
    }
  })

  it('starts with a fault', async () => {
    const reference = await startReferenceTarget({ faults: ['registration-200'] })
    try {
      expect(reference.server.faults).toEqual(['registration-200'])
    } finally {
      await reference.close()
    }
  })
})

describe('startReferenceTarget with an open-registration policy', () => {
  it('sends no IAT and declares open_registration', async () => {
    const reference = await startReferenceTarget({
      config: { registration: { authentication: 'none' } },
    })
    try {
      expect(reference.target.registration?.iat).toEqual({ strategy: 'none' })
      expect(reference.target.capabilities).toContain('open_registration')
      expect(reference.target.capabilities).not.toContain('iat_required')
    } finally {
      await reference.close()
    }
  })
})
