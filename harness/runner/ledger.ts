/**
 * The cleanup ledger: every client the run registered, with the latest registration access token
 * seen (servers may rotate it on every management call), deleted at the end of the run.
 *
 * It learns clients only from real HTTP responses (never from fixture output or request bodies),
 * and it sends a registration access token only to the registration endpoint's origin: a
 * `registration_client_uri` elsewhere is reported as a leftover, never called.
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-2.3
 * @see https://www.rfc-editor.org/rfc/rfc7592#section-3
 */
import type { CleanupLedger, LedgerEntry } from '../actions/action.ts'
import type { HttpClient } from '../http/types.ts'
import { ledgerEntryFrom } from '../actions/ledger-entry.ts'
import type { Exchange } from '../model/result.ts'
import { isJsonContentType, parseJsonOrUndefined } from '../http/json.ts'
import { capText, MAX_MESSAGE_VALUE } from '../http/cap.ts'
import { isConnectionClosedByPeer } from '../http/retry.ts'

export interface Leftover {
  client_id: string
  reason: string
}

/** How `deleteAll` deletes. */
export interface DeleteOptions {
  /** The target declares capability `delete` (RFC 7592 §2.3). */
  canDelete: boolean
  /** The registration endpoint: RATs are sent only to its origin. */
  registrationEndpoint?: string
  /** DELETEs in flight at once (default {@link DEFAULT_DELETE_CONCURRENCY}). */
  concurrency?: number
}

/** A loaded target (or a small one) is not flooded with one new connection per client. */
export const DEFAULT_DELETE_CONCURRENCY = 8

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

  /**
   * A response body naming a tracked client with a (possibly rotated) RAT updates its entry.
   * Callers pass only bodies the target sent (see {@link observeExchange}).
   */
  observeBody(body: unknown): void {
    const entry = ledgerEntryFrom(body)
    if (entry?.registration_access_token && this.#entries.has(entry.client_id)) this.track(entry)
  }

  /**
   * One real exchange with the target: a JSON response naming a tracked client updates its RAT
   * (RFC 7592 §3 lets servers rotate it); a successful DELETE of a client's configuration URI by a
   * scenario leaves nothing to clean.
   * @see https://www.rfc-editor.org/rfc/rfc7592#section-3
   */
  observeExchange(exchange: Exchange): void {
    const response = exchange.response
    if (!response) return
    if (
      response.body !== undefined &&
      !response.truncated &&
      isJsonContentType(response.headers['content-type'])
    ) {
      const parsed = parseJsonOrUndefined(response.body)
      if (parsed.ok) this.observeBody(parsed.value)
    }
    if (exchange.request.method !== 'DELETE') return
    if (response.status < 200 || response.status >= 300) return
    for (const [clientId, entry] of this.#entries) {
      if (entry.registration_client_uri === exchange.request.url) this.#entries.delete(clientId)
    }
  }

  entries(): LedgerEntry[] {
    return [...this.#entries.values()]
  }

  /**
   * Deletes every client (when the target supports DELETE), a few at a time; returns those that
   * remain, each with the reason.
   * @see https://www.rfc-editor.org/rfc/rfc7592#section-2.3
   */
  async deleteAll(http: HttpClient, options: DeleteOptions): Promise<Leftover[]> {
    const leftovers: Leftover[] = []
    const queue = this.entries()
    const limit = Math.max(1, options.concurrency ?? DEFAULT_DELETE_CONCURRENCY)
    const worker = async () => {
      for (let entry = queue.shift(); entry; entry = queue.shift()) {
        const reason = await deleteClient(http, entry, options)
        // A target-chosen client_id of any size is listed, cut (http/cap.ts).
        if (reason) leftovers.push({ client_id: capText(entry.client_id, MAX_MESSAGE_VALUE), reason })
        else this.#entries.delete(entry.client_id)
      }
    }
    await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, worker))
    return leftovers.sort((a, b) => (a.client_id < b.client_id ? -1 : 1))
  }
}

async function deleteClient(
  http: HttpClient,
  entry: LedgerEntry,
  options: DeleteOptions,
): Promise<string | undefined> {
  if (!options.canDelete) return 'target does not declare capability delete (RFC 7592)'
  const given = entry.registration_client_uri
  if (!given || !entry.registration_access_token) {
    return 'no registration_client_uri and registration_access_token to delete it with'
  }
  const uri = onRegistrationOrigin(given, options.registrationEndpoint)
  const shown = capText(uri, MAX_MESSAGE_VALUE)
  const foreign = foreignOriginReason(uri, options.registrationEndpoint)
  if (foreign) return foreign
  const request = {
    method: 'DELETE',
    url: uri,
    headers: { authorization: `Bearer ${entry.registration_access_token}` },
  }
  let failure: unknown
  // DELETE is idempotent (RFC 9110 §9.2.2): a connection the target reset or closed (often a
  // kept-alive socket it already dropped) is retried once; undici discards the broken socket.
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      const { response } = await http.send(request)
      if (response.status === 204 || response.status === 200 || response.status === 404)
        return undefined
      return `DELETE ${shown} answered ${response.status}`
    } catch (error) {
      failure = error
      if (!isConnectionClosedByPeer(error)) break
    }
  }
  const why = failure instanceof Error ? failure.message : String(failure)
  return `DELETE failed: ${capText(why, MAX_MESSAGE_VALUE * 2)}`
}

/**
 * A path-only `registration_client_uri` (a deviation from OIDC DCR §3.2, reported by the
 * scenarios) is resolved against the registration endpoint, so the client is still deleted:
 * the result is on that origin by construction. Anything else is used as given.
 */
function onRegistrationOrigin(uri: string, registrationEndpoint: string | undefined): string {
  if (!registrationEndpoint || !uri.startsWith('/') || uri.startsWith('//')) return uri
  try {
    return new URL(uri, registrationEndpoint).href
  } catch {
    return uri
  }
}

/** Why a RAT must not go to `uri`, or undefined when `uri` shares the registration origin. */
function foreignOriginReason(uri: string, registrationEndpoint: string | undefined): string | undefined {
  const origin = originOf(uri)
  const expected = registrationEndpoint ? originOf(registrationEndpoint) : undefined
  if (origin !== undefined && expected !== undefined && origin === expected) return undefined
  return (
    `not deleted: registration_client_uri ${capText(uri, MAX_MESSAGE_VALUE)} is not on the ` +
    "registration endpoint's origin " +
    `(${expected ?? 'unknown'}); the registration access token is never sent elsewhere`
  )
}

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.origin : undefined
  } catch {
    return undefined
  }
}

function definedMembers(entry: LedgerEntry): Partial<LedgerEntry> {
  return Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined))
}
