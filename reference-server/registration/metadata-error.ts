/**
 * A registration refused for its metadata: 400 with one RFC 7591 error code and a description
 * naming the offending member.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.2
 */
export type RegistrationErrorCode =
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'invalid_software_statement'
  | 'unapproved_software_statement'
  | 'invalid_request'

export class MetadataError extends Error {
  readonly code: RegistrationErrorCode
  /** The member at fault (e.g. `redirect_uris`, `client_name#ja`). */
  readonly field: string | undefined

  constructor(code: RegistrationErrorCode, field: string | undefined, description: string) {
    super(field ? `${field}: ${description}` : description)
    this.name = 'MetadataError'
    this.code = code
    this.field = field
  }
}

export function invalidMetadata(field: string, description: string): MetadataError {
  return new MetadataError('invalid_client_metadata', field, description)
}

export function invalidRedirect(description: string): MetadataError {
  return new MetadataError('invalid_redirect_uri', 'redirect_uris', description)
}
