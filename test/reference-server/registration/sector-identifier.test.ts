/**
 * sector_identifier_uri (OpenID Connect DCR §5): fetched through the SSRF guard and the trusted
 * origins (reference-server/cimd/guarded-fetch.ts), its array checked for every redirect URI.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { register, start } from '../helpers.ts'
import { startDocumentServer, testCa } from '../cimd/document-server.ts'

const trusted = await startDocumentServer()
const untrusted = await startDocumentServer()
const server = await start({ config: { cimd: { trusted_origins: [trusted.origin], ca: testCa } } })
afterAll(async () => {
  await server.close()
  await trusted.close()
  await untrusted.close()
})

const redirectUris = ['https://localhost/a', 'https://localhost/b']
const pairwise = (sector: string) => ({
  redirect_uris: redirectUris,
  subject_type: 'pairwise',
  sector_identifier_uri: sector,
})

describe('sector_identifier_uri', () => {
  it('accepts a document listing every redirect URI, refuses one that lacks one', async () => {
    trusted.publish('/complete', { body: redirectUris })
    trusted.publish('/partial', { body: ['https://localhost/a'] })
    expect((await register(server, pairwise(trusted.url('/complete')))).status).toBe(201)
    const refused = await register(server, pairwise(trusted.url('/partial')))
    expect(refused.status).toBe(400)
    expect(refused.body.error_description).toMatch(/does not contain https:\/\/localhost\/b/)
  })

  it('never fetches a loopback origin it was not told to trust (the SSRF guard)', async () => {
    untrusted.publish('/complete', { body: redirectUris })
    const refused = await register(server, pairwise(untrusted.url('/complete')))
    expect(refused.status).toBe(400)
    expect(untrusted.count('/complete')).toBe(0)
  })

  it('reads a sector document past the metadata document limit (5 KiB)', async () => {
    const many = Array.from({ length: 400 }, (_, i) => `https://localhost/r${i}`)
    trusted.publish('/long', { body: many })
    const listed = { ...pairwise(trusted.url('/long')), redirect_uris: many.slice(0, 2) }
    expect(JSON.stringify(many).length).toBeGreaterThan(5 * 1024)
    expect((await register(server, listed)).status).toBe(201)
  })
})
