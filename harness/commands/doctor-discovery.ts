/**
 * doctor's first checks: where trust in the server's certificate comes from, and discovery at
 * both well-known URLs (OpenID Connect Discovery 1.0 §4 and RFC 8414 §3.1), each with a fix.
 */
import type { HttpClient } from '../http/types.ts'
import { oauthMetadataUrl, openIdConfigurationUrl } from '../config/discovery.ts'
import { HarnessError } from '../errors.ts'
import { isTlsTrouble } from '../hints.ts'
import type { TargetConfig } from '../model/target.ts'

export type FindingStatus = 'ok' | 'fail' | 'hint' | 'skip'

/** One line of doctor's checklist. */
export interface Finding {
  check: string
  status: FindingStatus
  message: string
  fix?: string
  /** Set on a failure that `run` reports with the same line (printed as `error: ... [CODE]`). */
  error?: HarnessError
}

/** Where the CA that verifies the target's certificate comes from. */
export function tlsSource(config: TargetConfig, env: Record<string, string | undefined>): string {
  if (config.issuer.startsWith('http:')) return 'cleartext http: no TLS (declare plain_http)'
  if (config.tls?.insecure) return 'certificate verification DISABLED (tls.insecure: true)'
  if (config.tls?.ca) return `system CAs + tls.ca ${config.tls.ca}`
  const extra = env['NODE_EXTRA_CA_CERTS']
  if (extra) return `system CAs + NODE_EXTRA_CA_CERTS ${extra}`
  return 'system CAs'
}

const TLS_FIX =
  'set tls: { ca: FILE } in targets.yaml to the CA that signed the server certificate ' +
  '(or NODE_EXTRA_CA_CERTS=FILE when no tls.ca is set)'

export interface DiscoveryFindings {
  findings: Finding[]
  /** The OpenID document, else the RFC 8414 one. */
  metadata?: Record<string, unknown>
  rfc8414: boolean
  /** Transport failed (unreachable or TLS): nothing else can be checked. */
  blocked: boolean
}

/** GETs both well-known URLs and judges each answer. */
export async function checkDiscovery(
  config: TargetConfig,
  http: HttpClient,
  env: Record<string, string | undefined>,
): Promise<DiscoveryFindings> {
  const findings: Finding[] = []
  const source = tlsSource(config, env)
  const documents: (Record<string, unknown> | undefined)[] = []
  for (const [label, url] of [
    ['OpenID configuration', openIdConfigurationUrl(config.issuer)],
    ['RFC 8414 metadata', oauthMetadataUrl(config.issuer)],
  ] as const) {
    let answer
    try {
      answer = (await http.send({ method: 'GET', url, headers: { accept: 'application/json' } }))
        .response
    } catch (error) {
      const reason = (error as Error).message
      // Transport errors may name the request already (harness/http/client.ts).
      const message = reason.includes(url) ? reason : `${url}: ${reason}`
      const tls = isTlsTrouble(message)
      findings.push({
        check: tls ? 'tls' : 'discovery',
        status: 'fail',
        message: tls ? `${message} (trust: ${source})` : message,
        fix: tls ? TLS_FIX : 'check the issuer URL and that the server is up and reachable',
        error: new HarnessError(
          tls ? 'E_HTTP' : 'E_TARGET_UNREACHABLE',
          `target '${config.name}': ${message}`,
        ),
      })
      return { findings, rfc8414: false, blocked: true }
    }
    const body = answer.body
    const json = typeof body === 'object' && body !== null && !Array.isArray(body)
    const document = answer.status === 200 && json ? (body as Record<string, unknown>) : undefined
    documents.push(document)
    findings.push(judgeDocument(label, url, answer.status, document, config.issuer))
  }
  findings.unshift({ check: 'tls', status: 'ok', message: `trust: ${source}` })
  const [openid, oauth] = documents
  if (!openid && !oauth) {
    const overridden = config.endpoints?.['registration_endpoint']
    findings.push({
      check: 'discovery',
      status: overridden ? 'hint' : 'fail',
      message: overridden
        ? 'no discovery document: the endpoints come from targets.yaml only'
        : `no discovery document at ${config.issuer}`,
      fix:
        'check the issuer (it must be the exact issuer identifier), or set ' +
        'endpoints.registration_endpoint and endpoints.token_endpoint',
      ...(overridden
        ? {}
        : {
            error: new HarnessError(
              'E_DISCOVERY',
              `target '${config.name}': no discovery document at ${config.issuer}`,
            ),
          }),
    })
  }
  const metadata = openid ?? oauth
  return { findings, ...(metadata ? { metadata } : {}), rfc8414: !!oauth, blocked: false }
}

function judgeDocument(
  label: string,
  url: string,
  status: number,
  document: Record<string, unknown> | undefined,
  issuer: string,
): Finding {
  if (!document) {
    return {
      check: 'discovery',
      status: 'hint',
      message: `${label}: ${url} answered ${status}${status === 200 ? ', not a JSON object' : ''}`,
      fix:
        label === 'RFC 8414 metadata'
          ? 'servers that publish only OpenID configuration should not declare rfc8414_metadata'
          : 'a server without OpenID configuration should not declare oidc',
    }
  }
  // Both specs: the document's issuer is exactly the issuer it was fetched for.
  if (document['issuer'] !== issuer) {
    return {
      check: 'discovery',
      status: 'hint',
      message: `${label}: issuer is ${JSON.stringify(document['issuer'])}, not ${issuer}`,
      fix: 'set the target\'s issuer to the exact "issuer" value of the discovery document',
    }
  }
  return { check: 'discovery', status: 'ok', message: `${label}: ${url}` }
}
