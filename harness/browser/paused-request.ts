/**
 * CDP's `Fetch.requestPaused` event, the members the harness reads (redirect-guard.ts at the
 * Response stage, callback-intercept.ts at the Request stage), as the Chrome DevTools Protocol's
 * Fetch domain defines it.
 */
export interface PausedRequest {
  requestId: string
  request: {
    method: string
    /** Without the fragment. */
    url: string
    /** `#...` when the URL has a fragment. */
    urlFragment?: string
    postData?: string
    postDataEntries?: { bytes?: string }[]
    /** True when the request has a body, even one too long for `postData`. */
    hasPostData?: boolean
  }
  /** Set at the Response stage only. */
  responseStatusCode?: number
  /** Set at the Response stage when the request failed. */
  responseErrorReason?: string
  responseHeaders?: { name: string; value: string }[]
}

/** A Fetch pattern pausing document requests before they are sent (`Fetch.enable`). */
export interface RequestPattern {
  urlPattern: string
  resourceType: 'Document'
  requestStage: 'Request'
}

/** Whether the event is a paused response (else a request not sent yet). */
export function isResponseStage(event: PausedRequest): boolean {
  return event.responseStatusCode !== undefined || event.responseErrorReason !== undefined
}

/** The request body of a paused request, from its text or its base64 entries. */
export function pausedBody(request: PausedRequest['request']): string | undefined {
  if (request.postData !== undefined) return request.postData
  const entries = request.postDataEntries ?? []
  if (entries.length === 0) return undefined
  return entries.map((entry) => Buffer.from(entry.bytes ?? '', 'base64').toString('utf8')).join('')
}
