/**
 * A request failure with its OAuth error: thrown by helpers, turned into a JSON error response by
 * the router's wrapper (so handlers stay linear).
 */
export class OAuthHttpError extends Error {
  readonly status: number
  readonly error: string
  readonly headers: Record<string, string>

  constructor(
    status: number,
    error: string,
    description: string,
    headers: Record<string, string> = {},
  ) {
    super(description)
    this.name = 'OAuthHttpError'
    this.status = status
    this.error = error
    this.headers = headers
  }
}
