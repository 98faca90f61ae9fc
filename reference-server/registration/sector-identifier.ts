/**
 * `sector_identifier_uri`: an https URL whose JSON array must hold every registered redirect URI,
 * or the registration fails. Fetched through the SSRF guard, as any URL a client controls.
 * @see https://openid.net/specs/openid-connect-registration-1_0.html#SectorIdentifierValidation
 */
import type { ServerContext } from '../context.ts'
import { invalidMetadata } from './metadata-error.ts'

export async function checkSectorIdentifier(
  ctx: ServerContext,
  uri: string,
  redirectUris: string[],
): Promise<void> {
  const fetched = await ctx.fetchSectorIdentifier(new URL(uri))
  if (!fetched.ok)
    throw invalidMetadata('sector_identifier_uri', `could not be fetched (${fetched.reason})`)
  let list: unknown
  try {
    list = JSON.parse(fetched.body)
  } catch {
    throw invalidMetadata('sector_identifier_uri', 'is not JSON')
  }
  if (!Array.isArray(list))
    throw invalidMetadata('sector_identifier_uri', 'must resolve to a JSON array')
  // The fault takes the document's word without reading it.
  if (ctx.faults.has('sector-identifier-unchecked')) return
  const missing = redirectUris.find((u) => !list.includes(u))
  if (missing)
    throw invalidMetadata('sector_identifier_uri', `the document does not contain ${missing}`)
}
