/**
 * `encodeURIComponent` for any string a target sends. JSON may hold an unpaired surrogate
 * (RFC 8259 §8.2), which has no UTF-8 form: `encodeURIComponent` throws a URIError on it, while
 * URLSearchParams and fetch send U+FFFD in its place. This does as they do, and never throws.
 */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

export function uriComponent(value: string): string {
  return encodeURIComponent(value.replace(UNPAIRED_SURROGATE, '\uFFFD'))
}

/** A value as it stands in a URL or a form body: raw, URL-encoded and form-encoded. */
export function urlForms(value: string): string[] {
  return [value, uriComponent(value), new URLSearchParams({ v: value }).toString().slice(2)]
}
