/** Reads what the cleanup ledger needs out of a registration or management response body. */
import type { LedgerEntry } from './action.ts'

/**
 * A ledger entry when the body names a client (`client_id`), with the RFC 7592 management
 * URI and token when present.
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-3
 */
export function ledgerEntryFrom(body: unknown): LedgerEntry | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined
  const record = body as Record<string, unknown>
  if (typeof record['client_id'] !== 'string' || record['client_id'] === '') return undefined
  const entry: LedgerEntry = { client_id: record['client_id'] }
  if (typeof record['registration_client_uri'] === 'string')
    entry.registration_client_uri = record['registration_client_uri']
  if (typeof record['registration_access_token'] === 'string') {
    entry.registration_access_token = record['registration_access_token']
  }
  return entry
}
