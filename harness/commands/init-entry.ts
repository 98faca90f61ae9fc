/**
 * The text of one commented targets.yaml entry (`dcr-conformance init`). Comments say where each
 * value came from and what to check; secrets are `${{ env.NAME }}` placeholders (config/env.ts).
 */

export interface EntryFacts {
  issuer: string
  metadata: Record<string, unknown>
  /** Suggested by discovery and the registration probe. */
  capabilities: string[]
  /** The registration endpoint's status for a registration without a token (0: none sent). */
  registrationStatus: number
  /** tls.ca as it goes into the file. */
  ca?: string
  /** Given by its MCP server (`init --mcp-server`): its URL and the hops to the issuer. */
  mcp?: { server: string; hops: string[] }
}

/** Capabilities no discovery document can tell, for the vendor to declare. */
const UNJUDGED = [
  'rfc7592',
  'delete',
  'iat_one_time',
  'pkce_required',
  'native_apps',
  'user_login',
  'software_statement',
  'client_credentials_clients',
]

/** `ACME_IDP` from `acme-idp`: the prefix of the entry's environment variables. */
export function envPrefix(name: string): string {
  const upper = name.toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '')
  return /^[A-Z_]/.test(upper) ? upper : `T_${upper}`
}

function quoted(value: string): string {
  return JSON.stringify(value)
}

export function targetEntry(name: string, facts: EntryFacts): string {
  const env = envPrefix(name)
  const lines = [
    `# ${name}: written by \`dcr-conformance init\` from ${facts.mcp?.server ?? facts.issuer}.`,
    `# Check every line, then: dcr-conformance doctor --target ${name}`,
    `${name}:`,
    ...locationLines(facts),
    ...endpointLines(facts.metadata),
    ...iatLines(env, facts),
    `  # Suggested from discovery and the registration probe (suites/capabilities.yaml):`,
    `  capabilities: [${facts.capabilities.join(', ')}]`,
    `  # Not visible in discovery; add those your server supports:`,
    `  #   ${UNJUDGED.filter((c) => !facts.capabilities.includes(c)).join(', ')}`,
    `  # A user login for the code-flow scenarios (then declare user_login):`,
    `  # login:`,
    `  #   username: "\${{ env.${env}_USERNAME }}"`,
    `  #   password: "\${{ env.${env}_PASSWORD }}"`,
    `  #   steps:                       # default: fill the username and password fields, submit`,
    `  #     - fill: { label: Username, value: "\${{ login.username }}" }`,
    `  #     - fill: { label: Password, value: "\${{ login.password }}" }`,
    `  #     - click: { role: button, name: Login }`,
    facts.ca
      ? `  tls: { ca: ${quoted(facts.ca)} }`
      : '  # tls: { ca: ./ca.pem }         # a CA that is not in the system store',
    `  # expectations: expectations/${name}.yaml   # known deviations, each with evidence`,
    '',
  ]
  return `${lines.join('\n')}\n`
}

/**
 * `issuer`, or for an MCP server its URL: each run walks the hops again, so a moved authorization
 * server is followed; the issuer they found is a comment, to pin it.
 */
function locationLines(facts: EntryFacts): string[] {
  if (!facts.mcp) return [`  issuer: ${quoted(facts.issuer)}`]
  return [
    `  mcp_server: ${quoted(facts.mcp.server)}`,
    '  # The issuer, found through the MCP server (run and doctor walk these hops each time):',
    ...facts.mcp.hops.map((hop) => `  #   ${hop}`),
    `  # issuer: ${quoted(facts.issuer)}   # set it to skip the hops`,
    '  # data: { mcp_other_resource: "https://CHANGE-ME/mcp" }   # a second MCP server of this',
    '  #   authorization server, for the audience scenarios (then declare mcp_second_resource)',
  ]
}

function endpointLines(metadata: Record<string, unknown>): string[] {
  const registration = metadata['registration_endpoint']
  if (typeof registration === 'string') {
    return [`  # registration_endpoint from discovery: ${registration}`]
  }
  return [
    '  # Discovery names no registration_endpoint: give it here.',
    '  endpoints:',
    '    registration_endpoint: "https://CHANGE-ME/register"',
  ]
}

function iatLines(env: string, facts: EntryFacts): string[] {
  const status = facts.registrationStatus
  if (status >= 200 && status < 300) {
    return [
      `  # A registration without a token was accepted (${status}): open registration.`,
      '  registration:',
      '    iat: { strategy: none }',
    ]
  }
  const scopes = facts.metadata['scopes_supported']
  const scope =
    Array.isArray(scopes) && scopes.includes('dcr')
      ? 'dcr'
      : 'dcr   # CHANGE-ME: a scope that allows registration'
  const why =
    status === 401 || status === 403
      ? `A registration without a token was refused (${status}): an initial access token is needed.`
      : `A registration without a token answered ${status || 'nothing'}: is a token needed?`
  return [
    `  # ${why}`,
    '  registration:',
    '    iat:',
    '      strategy: client_credentials   # or: authorization_code | command | static | none',
    `      client_id: "\${{ env.${env}_IAT_CLIENT_ID }}"`,
    `      client_secret: "\${{ env.${env}_IAT_CLIENT_SECRET }}"`,
    '      # auth_method: client_secret_basic   # or client_secret_post',
    `      scope: ${scope}`,
    '      # other_scope: read            # a scope that must NOT allow registration',
  ]
}
