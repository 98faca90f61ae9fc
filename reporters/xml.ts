/** XML 1.0 text and attribute escaping for the JUnit reporter. */

/**
 * Characters XML 1.0 forbids even as references: C0 controls other than tab, LF and CR,
 * U+FFFE, U+FFFF and lone surrogates.
 * @see https://www.w3.org/TR/xml/#charsets
 */
const forbidden = new RegExp(
  [
    '[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\ufffe\\uffff]',
    '[\\ud800-\\udbff](?![\\udc00-\\udfff])',
    '(?<![\\ud800-\\udbff])[\\udc00-\\udfff]',
  ].join('|'),
  'g',
)

/** Drop characters XML cannot carry. */
export function xmlSafe(text: string): string {
  return text.replace(forbidden, '')
}

/** Escape element text. `>` is escaped too, so `]]>` never appears. */
export function escapeXmlText(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

/** Escape an attribute value (double-quoted); newlines and tabs kept as character references. */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;')
}

/** `<name a="1" b="2"` from attribute pairs; undefined values left out. */
export function xmlAttributes(attributes: Record<string, string | number | undefined>): string {
  return Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`)
    .join('')
}
