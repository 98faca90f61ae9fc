/**
 * The cleanup ledger: every client the run registered, with the latest registration access token
 * seen (servers may rotate it on every management call), deleted at the end of the run.
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-2.3
 */
import type { CleanupLedger, HttpClient, LedgerEntry } from '../actions/action.ts'
import { ledgerEntryFrom } from '../actions/ledger-entry.ts'
import type { Exchange } from '../types.ts'

export interface Leftover {
  client_id: string
  reason: string
}

export class RunLedger implements CleanupLedger {
  readonly #entries = new Map<string, LedgerEntry>()

  track(entry: LedgerEntry): void {
    const known = this.#entries.get(entry.client_id)
    this.#entries.set(entry.client_id, {
      ...known,
      ...definedMembers(entry),
      client_id: entry.client_id,
    })
  }

  forget(clientId: string): void {
    this.#entries.delete(clientId)
  }

  /** A response body naming a tracked client with a (possibly rotated) RAT updates its entry. */
  observeBody(body: unknown): void {
    const entry = ledgerEntryFrom(body)
    if (entry?.registration_access_token && this.#entries.has(entry.client_id)) this.track(entry)
  }

  /** A successful DELETE of a client's configuration URI by a scenario: nothing left to clean. */
  observeExchange(exchange: Exchange): void {
    if (exchange.request.method !== 'DELETE' || !exchange.response) return
    const status = exchange.response.status
    if (status < 200 || status >= 300) return
    for (const [clientId, entry] of this.#entries) {
      if (entry.registration_client_uri === exchange.request.url) this.#entries.delete(clientId)
    }
  }

  entries(): LedgerEntry[] {
    return [...this.#entries.values()]
  }

  /**
   * Deletes every client (when the target supports DELETE); returns those that remain.
   * @see https://www.rfc-editor.org/rfc/rfc7592#section-2.3
   */
  async deleteAll(http: HttpClient, canDelete: boolean): Promise<Leftover[]> {
    const leftovers: Leftover[] = []
    await Promise.all(
      this.entries().map(async (entry) => {
        const reason = await deleteClient(http, entry, canDelete)
        if (reason) leftovers.push({ client_id: entry.client_id, reason })
        else this.#entries.delete(entry.client_id)
      }),
    )
    return leftovers.sort((a, b) => (a.client_id < b.client_id ? -1 : 1))
  }
}

async function deleteClient(
  http: HttpClient,
  entry: LedgerEntry,
  canDelete: boolean,
): Promise<string | undefined> {
  if (!canDelete) return 'target does not declare capability delete (RFC 7592)'
  if (!entry.registration_client_uri || !entry.registration_access_token) {
    return 'no registration_client_uri and registration_access_token to delete it with'
  }
  try {
    const { response } = await http.send({
      method: 'DELETE',
      url: entry.registration_client_uri,
      headers: { authorization: `Bearer ${entry.registration_access_token}` },
    })
    if (response.status === 204 || response.status === 200 || response.status === 404)
      return undefined
    return `DELETE ${entry.registration_client_uri} answered ${response.status}`
  } catch (error) {
    return `DELETE failed: ${error instanceof Error ? error.message : String(error)}`
  }
}

function definedMembers(entry: LedgerEntry): Partial<LedgerEntry> {
  return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined))
}
