/**
 * The SSRF guard (draft-ietf-oauth-client-id-metadata-document-02 §8.6) and the document cache
 * (§5.2), with real document servers on 127.0.0.1: one trusted, one not.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ReferenceServer } from '../../../reference-server/index.ts'
import { publicDocument, startDocumentServer } from './document-server.ts'
import type { DocumentServer } from './document-server.ts'
import { authorizeCimd, outcome, pageReason, startTrusting } from './helpers.ts'

let trusted: DocumentServer
let untrusted: DocumentServer
let s: ReferenceServer
let next = 0

beforeAll(async () => {
  trusted = await startDocumentServer()
  untrusted = await startDocumentServer()
  s = await startTrusting(trusted)
})
afterAll(async () => {
  await s.close()
  await trusted.close()
  await untrusted.close()
})

/** Publishes a valid document at a fresh path of `docs` with these headers. */
function publish(docs: DocumentServer, headers: Record<string, string> = {}) {
  const path = `/c/${++next}`
  const url = docs.url(path)
  docs.publish(path, { body: publicDocument(url), headers })
  return { url, path }
}

describe('the SSRF guard (§8.6)', () => {
  it('never contacts a loopback origin that is not trusted', async () => {
    const { url } = publish(untrusted)
    const r = await authorizeCimd(s, url)
    expect(outcome(r)).toBe('page-400-invalid_client')
    expect(pageReason(r)).toMatch(/special-use address \(127\.0\.0\.1\)/)
    expect(untrusted.count()).toBe(0)
  })

  it('resolves a host name and refuses it when it resolves to loopback', async () => {
    const path = `/c/${++next}`
    const url = `https://localhost:${new URL(untrusted.origin).port}${path}`
    untrusted.publish(path, { body: publicDocument(url) })
    const r = await authorizeCimd(s, url)
    expect(outcome(r)).toBe('page-400-invalid_client')
    expect(pageReason(r)).toMatch(/special-use address/)
    expect(untrusted.count()).toBe(0)
  })

  it('refuses IPv6 loopback and private IPv4 literals without a request', async () => {
    const ids = ['https://[::1]:1/doc', 'https://10.0.0.1/doc', 'https://169.254.169.254/doc']
    for (const id of ids) {
      const r = await authorizeCimd(s, id)
      expect(pageReason(r), id).toMatch(/special-use address/)
    }
  })

  it('verifies the certificate: without the test CA a trusted origin is not usable', async () => {
    const noCa = await startTrusting(trusted, { cimd: { ca: undefined } })
    try {
      const { url } = publish(trusted)
      const r = await authorizeCimd(noCa, url)
      expect(outcome(r)).toBe('page-400-invalid_client')
      expect(pageReason(r)).toMatch(/failed \((?:UNABLE_TO_VERIFY|SELF_SIGNED|DEPTH_ZERO)/)
    } finally {
      await noCa.close()
    }
  })

  it('under cimd-loopback-fetched the untrusted listener is fetched', async () => {
    const faulted = await startTrusting(trusted, { faults: ['cimd-loopback-fetched'] })
    try {
      const { url, path } = publish(untrusted)
      expect(outcome(await authorizeCimd(faulted, url))).toBe('code')
      expect(untrusted.count(path)).toBe(1)
    } finally {
      await faulted.close()
    }
  })
})

describe('the cache (§5.2)', () => {
  it('reuses a document within its max-age', async () => {
    const { url, path } = publish(trusted, { 'cache-control': 'max-age=300' })
    expect(outcome(await authorizeCimd(s, url))).toBe('code')
    expect(outcome(await authorizeCimd(s, url))).toBe('code')
    expect(trusted.count(path)).toBe(1)
  })

  for (const header of ['no-store', 'no-cache', 'max-age=0']) {
    it(`fetches a document served with ${header} again, so a change takes effect`, async () => {
      const { url, path } = publish(trusted, { 'cache-control': header })
      expect(outcome(await authorizeCimd(s, url))).toBe('code')
      // The client drops the redirect URI the authorization uses.
      trusted.publish(path, {
        body: publicDocument(url, { redirect_uris: ['https://client.example/cb'] }),
        headers: { 'cache-control': header },
      })
      expect(outcome(await authorizeCimd(s, url))).toBe('page-400-invalid_request')
      expect(trusted.count(path)).toBe(2)
    })
  }

  it('honours an Expires already past', async () => {
    const past = new Date(Date.now() - 60_000).toUTCString()
    const { url, path } = publish(trusted, { expires: past })
    await authorizeCimd(s, url)
    await authorizeCimd(s, url)
    expect(trusted.count(path)).toBe(2)
  })

  it('under cimd-cache-ignores-headers a no-store document is kept', async () => {
    const faulted = await startTrusting(trusted, { faults: ['cimd-cache-ignores-headers'] })
    try {
      const { url, path } = publish(trusted, { 'cache-control': 'no-store' })
      expect(outcome(await authorizeCimd(faulted, url))).toBe('code')
      trusted.publish(path, {
        body: publicDocument(url, { redirect_uris: ['https://client.example/cb'] }),
      })
      expect(outcome(await authorizeCimd(faulted, url))).toBe('code')
      expect(trusted.count(path)).toBe(1)
    } finally {
      await faulted.close()
    }
  })

})
