/**
 * Which capabilities (suites/capabilities.yaml) a target's discovery document and doctor's probes
 * speak for or against. `doctor` compares them with the declared ones; `init` writes them.
 * Only capabilities with evidence either way are judged: the rest stay the vendor's call.
 */
import { stringList } from '../string-list.ts'

/** What doctor or init learned beyond the discovery document. */
export interface ProbeFacts {
  /** The RFC 8414 document answered at its path-insertion URL (RFC 8414 §3.1). */
  rfc8414?: boolean
  /** A registration without a token was refused (401/403) or accepted (2xx). */
  iatRequired?: boolean
  /** A second registration with the same IAT was refused. */
  iatOneTime?: boolean
  /** The registration response carried registration_access_token and registration_client_uri. */
  rfc7592?: boolean
  /** The login recipe reached the callback. */
  userLogin?: boolean
}

/** Capability name -> true (suggested) or false (evidence against). */
export type CapabilityEvidence = Map<string, boolean>

function list(metadata: Record<string, unknown>, name: string): string[] | undefined {
  return stringList(metadata[name])
}

/** Evidence from the metadata document and the probes. */
export function capabilityEvidence(
  issuer: string,
  metadata: Record<string, unknown>,
  facts: ProbeFacts = {},
): CapabilityEvidence {
  const evidence: CapabilityEvidence = new Map()
  const set = (name: string, value: boolean | undefined) => {
    if (value !== undefined) evidence.set(name, value)
  }
  const has = (name: string) => Object.hasOwn(metadata, name)
  const within = (name: string, test: (values: string[]) => boolean) => {
    const values = list(metadata, name)
    return values ? test(values) : undefined
  }
  // OpenID Connect Discovery 1.0 §3 makes these members REQUIRED of an OpenID Provider.
  set('oidc', has('id_token_signing_alg_values_supported') || has('subject_types_supported'))
  set('userinfo', has('userinfo_endpoint'))
  const authMethods = 'token_endpoint_auth_methods_supported'
  set('public_clients', within(authMethods, (v) => v.includes('none')))
  set('secret_post', within(authMethods, (v) => v.includes('client_secret_post')))
  // Any response type with a part other than `code` (token, id_token, code id_token, ...).
  const notCode = (type: string) => type.split(' ').some((part) => part !== 'code')
  set('implicit', within('response_types_supported', (v) => v.some(notCode)))
  set('refresh_tokens', within('grant_types_supported', (v) => v.includes('refresh_token')))
  set('pairwise', within('subject_types_supported', (v) => v.includes('pairwise')))
  const otherAlg = (alg: string) => alg !== 'RS256' && alg !== 'none'
  set('alt_id_token_alg', within('id_token_signing_alg_values_supported', (v) => v.some(otherAlg)))
  set('iss_param', metadata['authorization_response_iss_parameter_supported'] === true)
  set('introspection', has('introspection_endpoint') ? undefined : false)
  set('plain_http', issuer.startsWith('http:'))
  set('rfc8414_metadata', facts.rfc8414)
  set('iat_required', facts.iatRequired)
  set('open_registration', facts.iatRequired === undefined ? undefined : !facts.iatRequired)
  set('iat_one_time', facts.iatOneTime)
  set('rfc7592', facts.rfc7592)
  set('delete', facts.rfc7592 === false ? false : undefined)
  set('user_login', facts.userLogin)
  return evidence
}

export interface CapabilityDiff {
  /** Suggested by the evidence, not declared. */
  missing: string[]
  /** Declared, but the evidence speaks against. */
  unsupported: string[]
}

/** The differences between the declared capabilities and the evidence. */
export function compareCapabilities(
  declared: readonly string[],
  evidence: CapabilityEvidence,
): CapabilityDiff {
  const missing: string[] = []
  const unsupported: string[] = []
  for (const [name, suggested] of evidence) {
    if (suggested && !declared.includes(name)) missing.push(name)
    if (!suggested && declared.includes(name)) unsupported.push(name)
  }
  return { missing: missing.sort(), unsupported: unsupported.sort() }
}

/** The suggested capabilities, sorted. */
export function suggestedCapabilities(evidence: CapabilityEvidence): string[] {
  return [...evidence].filter(([, value]) => value).map(([name]) => name).sort()
}
