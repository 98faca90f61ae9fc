/**
 * Where a requirement of the catalog is written: the spec and section its id encodes
 * (`R7591-3.2.1-a` is RFC 7591 section 3.2.1, `OIDCR-3.2-b` is OpenID Connect Dynamic Client
 * Registration 1.0 section 3.2). Ids of other catalogs (`CUR-*`, a vendor's own) have no link.
 */

/** A requirement's source: `RFC 7591 §3.2.1` and the URL of that section. */
export interface SpecLink {
  source: string
  url: string
}

/** The OpenID specifications the catalog cites, by id prefix. */
const OPENID: Record<string, { name: string; page: string }> = {
  OIDCC: { name: 'OpenID Connect Core 1.0', page: 'openid-connect-core-1_0.html' },
  OIDCD: { name: 'OpenID Connect Discovery 1.0', page: 'openid-connect-discovery-1_0.html' },
  OIDCR: { name: 'OpenID Connect Registration 1.0', page: 'openid-connect-registration-1_0.html' },
}

const RFC_ID = /^R(\d{4})-(\d+(?:\.\d+)*)-[a-z]+$/
const OPENID_ID = /^(OIDC[A-Z])-(\d+(?:\.\d+)*)-[a-z]+$/

/** The spec section of a catalog id, or undefined when the id does not encode one. */
export function specLink(id: string): SpecLink | undefined {
  const rfc = RFC_ID.exec(id)
  if (rfc) {
    const [, number, section] = rfc
    return {
      source: `RFC ${number} §${section}`,
      url: `https://www.rfc-editor.org/rfc/rfc${number}#section-${section}`,
    }
  }
  const openid = OPENID_ID.exec(id)
  const spec = openid ? OPENID[openid[1] as string] : undefined
  if (openid && spec) {
    // The OpenID specs are xml2rfc documents: every section has an `rfc.section.N` anchor.
    return {
      source: `${spec.name} §${openid[2]}`,
      url: `https://openid.net/specs/${spec.page}#rfc.section.${openid[2]}`,
    }
  }
  return undefined
}
