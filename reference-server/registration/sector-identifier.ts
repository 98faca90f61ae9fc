/**
 * `sector_identifier_uri`: an https URL whose JSON array must hold every registered redirect URI.
 * @see https://openid.net/specs/openid-connect-registration-1_0.html#SectorIdentifierValidation
 */
import { invalidMetadata } from './metadata-error.ts'

export async function checkSectorIdentifier(uri: string, redirectUris: string[]): Promise<void> {
  let list: unknown
  try {
    const response = await fetch(uri, { redirect: 'error', signal: AbortSignal.timeout(3000) })
    if (!response.ok) throw new Error(`status ${response.status}`)
    const text = await response.text()
    if (text.length > 64 * 1024) throw new Error('too large')
    list = JSON.parse(text)
  } catch (error) {
    throw invalidMetadata(
      'sector_identifier_uri',
      `could not be fetched as JSON (${(error as Error).message})`,
    )
  }
  if (!Array.isArray(list))
    throw invalidMetadata('sector_identifier_uri', 'must resolve to a JSON array')
  const missing = redirectUris.find((u) => !list.includes(u))
  if (missing)
    throw invalidMetadata('sector_identifier_uri', `the document does not contain ${missing}`)
}
