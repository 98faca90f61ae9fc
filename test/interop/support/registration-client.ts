/**
 * The registration client every interop server with clients seeds, and the record such a server
 * returns once started: the suite obtains its initial access tokens with client credentials
 * (RFC 7591 §3, "initial access token"), so both servers set it up the same way.
 */
import type { LoopbackHttpsServer } from './https-server.ts'
import type { InteropServerWithClients } from './interop-target.ts'

/** The client that obtains initial access tokens (client_credentials, scope `dcr`). */
export const REGISTRATION_CLIENT_ID = 'server'
/** Scope of the client-credentials token a server accepts as an initial access token. */
export const REGISTRATION_SCOPE = 'dcr'
/** A scope the registration client may obtain that does not allow registration. */
export const OTHER_SCOPE = 'api'

/** What a started server tells its caller besides the HTTPS listener. */
export interface StartedWithClients {
  issuer: string
  registrationSecret: string
  user: InteropServerWithClients['user']
  env: Record<string, string>
}

/** The running server on `https`, with the registration client above; closing stops `https`. */
export function serverWithClients(
  https: LoopbackHttpsServer,
  started: StartedWithClients,
): InteropServerWithClients {
  return {
    issuer: started.issuer,
    origin: https.origin,
    port: https.port,
    registrationClient: {
      client_id: REGISTRATION_CLIENT_ID,
      client_secret: started.registrationSecret,
      scope: REGISTRATION_SCOPE,
      other_scope: OTHER_SCOPE,
    },
    user: started.user,
    caFile: https.caFile,
    env: started.env,
    close: () => https.close(),
  }
}
