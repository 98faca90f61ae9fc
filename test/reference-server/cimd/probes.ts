/**
 * The probes of the Client ID Metadata Document faults (see ../fault-probes.ts): plain data, no
 * random values. Two document servers live for the whole test file: one trusted by the probed
 * servers (`config`), one not (the SSRF probe). The trusted one also serves the sector identifier
 * document of `sectorIdentifierProbe`.
 */
import type { ReferenceServer } from '../../../reference-server/index.ts'
import { ep, register, send } from '../helpers.ts'
import { publicDocument, startDocumentServer, testCa } from './document-server.ts'
import type { Answer } from './document-server.ts'
import { authorizeCimd, outcome, publicTokenFor } from './helpers.ts'

const trusted = await startDocumentServer()
const untrusted = await startDocumentServer()
let next = 0

/** The shape of fault-probes.ts's Probe (not imported: that file imports this one). */
interface CimdProbe {
  config: Record<string, unknown>
  run(s: ReferenceServer): Promise<unknown>
}

const config = { cimd: { trusted_origins: [trusted.origin], ca: testCa } }

/** The outcome of an authorization whose document answers `answer(url)`. */
async function authorizeWith(
  s: ReferenceServer,
  answer: (url: string) => Answer,
  extra: Record<string, string> = {},
): Promise<string> {
  const path = `/probe/${++next}`
  trusted.publish(path, answer(trusted.url(path)))
  return outcome(await authorizeCimd(s, trusted.url(path), extra))
}

const probe = (run: CimdProbe['run']): CimdProbe => ({ config, run })

export const cimdProbes: Record<string, CimdProbe> = {
  'cimd-not-advertised': probe(
    async (s) => (await send(ep(s).discovery)).body.client_id_metadata_document_supported ?? null,
  ),
  'cimd-client-id-mismatch-accepted': probe((s) =>
    authorizeWith(s, (url) => ({ body: publicDocument(`${url}/other`) })),
  ),
  'cimd-code-not-redeemed': probe(async (s) => {
    const path = `/probe/${++next}`
    trusted.publish(path, { body: publicDocument(trusted.url(path)) })
    const reply = await publicTokenFor(s, trusted.url(path))
    return [reply.status, reply.body.error ?? null]
  }),
  'cimd-redirect-uri-unchecked': probe((s) =>
    authorizeWith(s, (url) => ({ body: publicDocument(url) }), {
      redirect_uri: 'https://attacker.example/callback',
    }),
  ),
  'cimd-loopback-fetched': probe(async (s) => {
    const path = `/probe/${++next}`
    untrusted.publish(path, { body: publicDocument(untrusted.url(path)) })
    const result = outcome(await authorizeCimd(s, untrusted.url(path)))
    return [result, untrusted.count(path)]
  }),
  'cimd-symmetric-auth-accepted': probe((s) =>
    authorizeWith(s, (url) => ({
      body: publicDocument(url, {
        token_endpoint_auth_method: 'client_secret_post',
        client_secret: 'published-secret',
      }),
    })),
  ),
  'cimd-fetch-failure-ignored': probe((s) => authorizeWith(s, () => ({ status: 404, body: '' }))),
  'cimd-oversize-accepted': probe((s) =>
    authorizeWith(s, (url) => ({
      body: publicDocument(url, { client_name: 'x'.repeat(8 * 1024) }),
    })),
  ),
  'cimd-cache-ignores-headers': probe(async (s) => {
    const path = `/probe/${++next}`
    const url = trusted.url(path)
    const noStore = { 'cache-control': 'no-store' }
    trusted.publish(path, { body: publicDocument(url), headers: noStore })
    const first = outcome(await authorizeCimd(s, url))
    const moved = { redirect_uris: ['https://client.example/cb'] }
    trusted.publish(path, { body: publicDocument(url, moved), headers: noStore })
    return [first, outcome(await authorizeCimd(s, url))]
  }),
}

/**
 * `sector-identifier-unchecked`: a pairwise registration whose sector identifier document lists
 * one of its two redirect URIs (400 clean, 201 under the fault).
 */
export const sectorIdentifierProbe: CimdProbe = probe(async (s) => {
  const path = `/sector/${++next}`
  trusted.publish(path, { body: ['https://localhost/a'] })
  const metadata = {
    redirect_uris: ['https://localhost/a', 'https://localhost/b'],
    subject_type: 'pairwise',
    sector_identifier_uri: trusted.url(path),
  }
  return (await register(s, metadata)).status
})
