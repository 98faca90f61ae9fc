/**
 * Where the harness may send what (docs/redaction.md): a target's credentials (an Authorization header,
 * or a secret such as a client secret, code, refresh token or password in the body) go
 * only to the issuer's origin and the origins targets.yaml allows (`credential_origins`), never to
 * an origin a discovery document, a registration_client_uri or a redirect merely names. Link-local
 * and cloud metadata addresses are refused for every request unless the target opts in.
 */
import { SECRET_MEMBER_NAMES } from '../oauth/secret-members.ts'
import type { TargetConfig } from '../model/target.ts'
import type { HttpRequest } from './types.ts'
import { urlForms } from './uri-component.ts'

/** What a target allows (from targets.yaml; the issuer's origin always). */
export interface OriginPolicyOptions {
  issuer: string
  /** More origins that may receive credentials (`https://login.example.com`). */
  credentialOrigins?: readonly string[]
  /** Allow link-local and cloud metadata addresses (a test rig that really lives there). */
  allowLinkLocal?: boolean
  /**
   * Values that are credentials in a body whatever their member is called: the login password
   * (a login recipe's field may have any name), raw or URL-encoded.
   */
  secretValues?: readonly (string | undefined)[]
  /** Origins only the cleartext probe may send credentials to (`HttpRequest.cleartextProbe`). */
  probeOrigins?: readonly string[]
}

/** A request as the policy judges it. */
export type JudgedRequest = Pick<HttpRequest, 'url' | 'headers' | 'body' | 'cleartextProbe'> & {
  /**
   * A body is there but could not be read (a browser's event may omit a long one): judged as
   * holding a credential, since a login form's POST holds the password.
   */
  bodyUnread?: boolean
}

export interface OriginPolicy {
  /** Why `request` must not be sent, or undefined when it may. */
  refusal(request: JudgedRequest): string | undefined
}

const SECRET_NAMES = new Set(SECRET_MEMBER_NAMES)
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization'])
/** Hosts of cloud metadata services that are not link-local addresses. */
const METADATA_HOSTS = new Set(['metadata.google.internal', '100.100.100.200', '[fd00:ec2::254]'])

/** A link-local (169.254/16, fe80::/10) or cloud metadata host. */
export function isLinkLocalOrMetadata(hostname: string): boolean {
  const host = hostname.toLowerCase()
  return METADATA_HOSTS.has(host) || /^169\.254\.\d+\.\d+$/.test(host) || /^\[fe[89ab][0-9a-f]:/.test(host)
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

/**
 * Whether the request carries a credential in a header or a form/JSON body. The query is not
 * read: a code in the query is the server's own redirect to the client's redirect URI, which
 * the login drivers follow like a browser (and never to a foreign host).
 */
export function carriesCredentials(request: Pick<HttpRequest, 'headers' | 'body'>): boolean {
  const headers = Object.keys(request.headers ?? {}).map((name) => name.toLowerCase())
  if (headers.some((name) => CREDENTIAL_HEADERS.has(name))) return true
  const body = request.body
  if (typeof body !== 'string' || body === '') return false
  if (body.trimStart().startsWith('{')) {
    try {
      const parsed = JSON.parse(body) as unknown
      return typeof parsed === 'object' && parsed !== null && Object.keys(parsed).some((k) => SECRET_NAMES.has(k))
    } catch {
      return false
    }
  }
  return [...new URLSearchParams(body).keys()].some((name) => SECRET_NAMES.has(name))
}

/** Whether a string body holds one of `forms` (each secret raw, URL- and form-encoded). */
function holdsSecretValue(body: unknown, forms: readonly string[]): boolean {
  return typeof body === 'string' && forms.some((form) => body.includes(form))
}

/**
 * The two kinds of refusal, as their messages say them (the doctor names each one's targets.yaml
 * key from these: commands/doctor-registration.ts).
 */
export const REFUSAL_WORDING = {
  linkLocal: 'a link-local or cloud metadata address',
  foreignOrigin: 'refused to send credentials to',
} as const

export function createOriginPolicy(options: OriginPolicyOptions): OriginPolicy {
  const secretForms = (options.secretValues ?? [])
    // As short as the redactor learns (redact-learned.ts MIN_LEARNED_LENGTH), no shorter: a
    // one-letter value would be found in every body.
    .filter((value): value is string => value !== undefined && value.length >= 4)
    .flatMap(urlForms)
  const allowed = new Set(
    [options.issuer, ...(options.credentialOrigins ?? [])]
      .map(originOf)
      .filter((origin): origin is string => origin !== undefined),
  )
  const probeOrigins = new Set(options.probeOrigins ?? [])
  return {
    refusal(request) {
      let url: URL
      try {
        url = new URL(request.url)
      } catch {
        return undefined
      }
      if (!options.allowLinkLocal && isLinkLocalOrMetadata(url.hostname)) {
        const why = REFUSAL_WORDING.linkLocal
        const fix = 'set allow_link_local in targets.yaml to allow it'
        return `refused to contact ${url.origin}: ${why} (${fix})`
      }
      const credential =
        request.bodyUnread === true ||
        carriesCredentials(request) ||
        holdsSecretValue(request.body, secretForms)
      const probing = request.cleartextProbe === true && probeOrigins.has(url.origin)
      if (credential && !allowed.has(url.origin) && !probing) {
        return (
          `${REFUSAL_WORDING.foreignOrigin} ${url.origin}: not the issuer's origin ` +
          `(allow it with credential_origins in targets.yaml)`
        )
      }
      return undefined
    },
  }
}

/**
 * The policy a target's targets.yaml entry declares: its issuer, `credential_origins`,
 * `allow_link_local` and login password. `probeOrigins` are the cleartext probe's, for a target
 * with `plain_http_probe` (run-suite.ts): open to the probe's own requests only.
 */
export function targetOriginPolicy(
  target: TargetConfig,
  probeOrigins: readonly string[] = [],
): OriginPolicy {
  return createOriginPolicy({
    issuer: target.issuer,
    credentialOrigins: target.credential_origins ?? [],
    probeOrigins,
    ...(target.allow_link_local ? { allowLinkLocal: true } : {}),
    secretValues: [target.login?.password],
  })
}
