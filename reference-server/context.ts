/** What every handler gets: policy, state, keys, faults and the absolute endpoint URLs. */
import type { DocumentCache } from './cimd/document-cache.ts'
import type { FetchResult } from './cimd/fetch-document.ts'
import type { ReferenceConfig } from './config.ts'
import type { FaultSet } from './faults.ts'
import type { KeySet } from './keys.ts'
import type { Store } from './store.ts'
import { paths } from './paths.ts'

export interface Endpoints {
  issuer: string
  authorization_endpoint: string
  token_endpoint: string
  registration_endpoint: string
  userinfo_endpoint: string
  introspection_endpoint: string
  revocation_endpoint: string
  jwks_uri: string
}

export interface ServerContext {
  config: ReferenceConfig
  store: Store
  faults: FaultSet
  keys: KeySet
  origin: string
  endpoints: Endpoints
  /** Seconds since the epoch. */
  now(): number
  /** One JSON log line on stderr (never secrets); a no-op when logging is off. */
  log(entry: Record<string, unknown>): void
  logLevel: 'errors' | 'requests' | 'off'
  /** Clients from fetched Client ID Metadata Documents (cimd/). */
  cimd: DocumentCache
  /**
   * A GET of a sector_identifier_uri through the SSRF guard and trusted origins of
   * cimd/guarded-fetch.ts, handed in by index.ts so that registration/ needs no import of cimd/.
   */
  fetchSectorIdentifier(url: URL): Promise<FetchResult>
}

export function endpointsFor(origin: string): Endpoints {
  return {
    issuer: origin + paths.issuer,
    authorization_endpoint: origin + paths.authorize,
    token_endpoint: origin + paths.token,
    registration_endpoint: origin + paths.registration,
    userinfo_endpoint: origin + paths.userinfo,
    introspection_endpoint: origin + paths.introspect,
    revocation_endpoint: origin + paths.revoke,
    jwks_uri: origin + paths.jwks,
  }
}
