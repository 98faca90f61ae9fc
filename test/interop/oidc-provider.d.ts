/**
 * The small part of node-oidc-provider 9's API the interop server uses (the package ships no
 * type declarations, and @types/oidc-provider would be one more dependency).
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  interface StoredToken {
    scope?: string
    isExpired: boolean
  }

  interface ClientView {
    sectorIdentifier?: string
    grantTypeAllowed(grant: string): boolean
  }

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>)
    issuer: string
    use(middleware: (ctx: never, next: () => Promise<unknown>) => Promise<void>): this
    callback(): (req: IncomingMessage, res: ServerResponse) => void
    ClientCredentials: { find(value: string): Promise<StoredToken | undefined> }
    InitialAccessToken: new (properties: { expiresIn?: number; policies?: string[] }) => {
      save(): Promise<string>
    }
  }

  export type { ClientView }
  export default Provider
}
