/**
 * Subject identifiers: `public` (the account id, same for every client) or `pairwise` (per
 * sector: the host of `sector_identifier_uri`, else of the single redirect URI host).
 * @see https://openid.net/specs/openid-connect-core-1_0.html#SubjectIDTypes
 */
import { createHmac } from 'node:crypto'
import type { ServerContext } from '../context.ts'
import type { ClientRecord } from '../store.ts'
import { redirectUrisOf, stringOf } from '../client.ts'

const pairwiseSalt = 'dcr-conformance-reference-pairwise'

export function sectorOf(client: ClientRecord): string {
  const sectorUri = stringOf(client, 'sector_identifier_uri')
  const source = sectorUri ?? redirectUrisOf(client)[0] ?? client.client_id
  try {
    return new URL(source).host
  } catch {
    return source
  }
}

/** The `sub` a client sees for a local account. */
export function subjectFor(ctx: ServerContext, client: ClientRecord, account: string): string {
  if (stringOf(client, 'subject_type') !== 'pairwise' || ctx.faults.has('pairwise-ignored'))
    return account
  return createHmac('sha256', pairwiseSalt)
    .update(`${sectorOf(client)}\u0000${account}`)
    .digest('base64url')
}
