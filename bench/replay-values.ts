/**
 * What a replay needs to send a recorded exchange again to a fresh server: the report holds the
 * old server's origin and client ids, and `[REDACTED]` where secrets were. Live values learnt from
 * the live answers take their place, by simple rules (which token a `Bearer` header carried is
 * told by the endpoint). Values the replay cannot know (a PKCE verifier, a login form's hidden
 * fields) stay redacted, and those requests get a different answer: the replay counts them.
 */

const REDACTED = '[REDACTED]'

export interface LiveCredentials {
  /** The registration client (client credentials, scope `dcr`). */
  iatClient: { id: string; secret: string; scopes: string[] }
  password: string
}

interface ClientSecrets {
  secret?: string
  rat?: string
}

function basic(id: string, secret: string): string {
  const pair = `${encodeURIComponent(id)}:${encodeURIComponent(secret)}`
  return `Basic ${Buffer.from(pair).toString('base64')}`
}

function asObject(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null) return undefined
    return value as Record<string, unknown>
  } catch {
    return undefined
  }
}

const str = (value: unknown) => (typeof value === 'string' ? value : undefined)

/** Live values of one scenario's replay (one lane at a time). */
export class LiveValues {
  readonly #mapped = new Map<string, string>()
  readonly #clients = new Map<string, ClientSecrets>()
  readonly #last: Record<string, string | undefined> = {}

  readonly credentials: LiveCredentials
  readonly registrationPath: string

  constructor(
    credentials: LiveCredentials,
    origins: Map<string, string>,
    registrationPath: string,
  ) {
    this.credentials = credentials
    this.registrationPath = registrationPath
    for (const [recorded, live] of origins) this.#mapped.set(recorded, live)
  }

  /** Live client ids registered in this scenario, with their registration access tokens. */
  clients(): [string, string | undefined][] {
    return [...this.#clients].map(([id, secrets]) => [id, secrets.rat])
  }

  /** The recorded text with the old origin and client ids replaced by live ones. */
  map(text: string): string {
    let out = text
    for (const [recorded, live] of this.#mapped) out = out.replaceAll(recorded, live)
    return out
  }

  /** A recorded request made sendable: mapped, and each `[REDACTED]` filled in where known. */
  request(url: URL, headers: Record<string, string>, body: string | undefined) {
    const out: Record<string, string> = {}
    for (const [name, value] of Object.entries(headers)) {
      if (name === 'host' || name === 'content-length' || name === 'connection') continue
      out[name] = this.#header(name, this.map(value), url, body)
    }
    const filled = body === undefined ? undefined : this.#fields(this.map(body))
    return { headers: out, body: filled }
  }

  /** Learns live values from a live answer, and which recorded values they replace. */
  learn(recordedBody: string | undefined, liveBody: string, location: string | undefined): void {
    const live = asObject(liveBody)
    const recorded = asObject(recordedBody)
    const id = str(live?.client_id)
    const recordedId = str(recorded?.client_id)
    if (id && recordedId && recordedId !== id && recordedId !== REDACTED) {
      this.#mapped.set(recordedId, id)
    }
    const secrets = { secret: str(live?.client_secret), rat: str(live?.registration_access_token) }
    if (id && (secrets.secret !== undefined || secrets.rat !== undefined)) {
      this.#clients.set(id, { ...this.#clients.get(id), ...secrets })
      this.#last.client = id
    }
    for (const name of ['access_token', 'refresh_token', 'registration_access_token']) {
      const value = str(live?.[name])
      if (value) this.#last[name] = value
    }
    const code = location ? new URL(location, 'http://x').searchParams.get('code') : null
    if (code) this.#last.code = code
  }

  #header(name: string, value: string, url: URL, body: string | undefined): string {
    if (name !== 'authorization' || !value.endsWith(REDACTED)) return value
    if (value.startsWith('Bearer ')) return `Bearer ${this.#bearer(url) ?? REDACTED}`
    const form = new URLSearchParams(body ?? '')
    const scope = form.get('scope') ?? ''
    const iat = this.credentials.iatClient
    const byIatClient =
      form.get('grant_type') === 'client_credentials' &&
      (this.#last.client === undefined || iat.scopes.includes(scope))
    if (byIatClient) return basic(iat.id, iat.secret)
    const client = this.#last.client
    const secret = client ? this.#clients.get(client)?.secret : undefined
    return client && secret ? basic(client, secret) : value
  }

  #bearer(url: URL): string | undefined {
    if (url.pathname.startsWith(`${this.registrationPath}/`)) {
      const id = decodeURIComponent(url.pathname.slice(this.registrationPath.length + 1))
      return this.#clients.get(id)?.rat ?? this.#last.registration_access_token
    }
    return this.#last.access_token
  }

  /** `name=[REDACTED]` form fields and `"name":"[REDACTED]"` JSON members. */
  #fields(body: string): string {
    if (!body.includes(REDACTED)) return body
    const value = (name: string): string | undefined => {
      if (name === 'client_secret') return this.#clients.get(this.#last.client ?? '')?.secret
      if (name === 'password') return this.credentials.password
      if (name === 'token') return this.#last.access_token
      return this.#last[name]
    }
    return body
      .replace(/(^|&)(\w+)=\[REDACTED\]/g, (all, lead: string, name: string) => {
        const live = value(name)
        return live === undefined ? all : `${lead}${name}=${encodeURIComponent(live)}`
      })
      .replace(/"(\w+)":"\[REDACTED\]"/g, (all, name: string) => {
        const live = value(name)
        return live === undefined ? all : `"${name}":${JSON.stringify(live)}`
      })
  }
}
