/**
 * Building HTML safely: `h` escapes every attribute value and string child, so text from the
 * target or the scenarios can never become markup. Shared by the parts of the HTML report.
 */

const controls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

/** Escape text for HTML element content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(controls, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** Markup built by `h` (already escaped); plain strings given to `h` are always escaped. */
export interface Markup {
  html: string
}

export type Child = string | Markup | undefined

const render = (child: Child) =>
  child === undefined ? '' : typeof child === 'string' ? escapeHtml(child) : child.html

/** An element: attribute values and string children are escaped, so nothing can inject markup. */
export function h(
  tag: string,
  attributes: Record<string, string | undefined> | null,
  ...children: Child[]
): Markup {
  const attrs = Object.entries(attributes ?? {})
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeHtml(value)}"`)
    .join('')
  return { html: `<${tag}${attrs}>${children.map(render).join('')}</${tag}>` }
}

/** Children side by side (newline-separated by default). */
export const fragment = (children: Child[], separator = '\n'): Markup => ({
  html: children.map(render).join(separator),
})

/** An element without content (`<br>`, `<img>`, `<input>`). */
export function empty(tag: string, attributes: Record<string, string | undefined>): Markup {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${escapeHtml(value)}"`)
    .join('')
  return { html: `<${tag}${attrs}>` }
}

/** A table in a scroll box (wide tables scroll inside the box, never the page). */
export function table(
  header: string[],
  rows: { cells: Child[]; classes?: (string | undefined)[]; attributes?: Record<string, string> }[],
  attributes: Record<string, string> = {},
): Markup {
  const head = h('tr', null, ...header.map((cell) => h('th', null, cell)))
  const body = rows.map(({ cells, classes, attributes: rowAttributes }) =>
    h(
      'tr',
      rowAttributes ?? null,
      ...cells.map((cell, i) => h('td', classes?.[i] ? { class: classes[i] } : null, cell)),
    ),
  )
  return h('div', { class: 'scroll' }, h('table', attributes, fragment([head, ...body])))
}

/** A `<h2>` and a list; nothing when there are no items. */
export function list(title: string, items: Child[], id?: string): Markup | undefined {
  if (items.length === 0) return undefined
  return fragment([
    h('h2', id ? { id } : null, title),
    h('ul', null, ...items.map((item) => h('li', null, item))),
  ])
}

/** The anchor id of a scenario and of a requirement row (ids may hold `/`: fine in HTML). */
export const scenarioAnchor = (id: string) => `s-${id}`
export const requirementAnchor = (id: string) => `r-${id}`

/** A link to an anchor of this document. */
export const jump = (anchor: string, text: Child) => h('a', { href: `#${anchor}` }, text)
