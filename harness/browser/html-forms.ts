/**
 * Reading HTML forms without a browser (the HTTP-form login driver): controls with their labels,
 * submit buttons, action and method.
 * @see https://html.spec.whatwg.org/multipage/form-control-infrastructure.html
 */
import { parse, type DefaultTreeAdapterTypes } from 'parse5'

type Element = DefaultTreeAdapterTypes.Element
type ParentNode = DefaultTreeAdapterTypes.ParentNode
type Node = DefaultTreeAdapterTypes.Node

export interface FormControl {
  tag: 'input' | 'select' | 'textarea'
  name: string
  /** Lower-cased `type` of an input (`text` by default); the tag for select and textarea. */
  type: string
  value: string
  id?: string
  /** Texts of `label[for]`, a wrapping `label`, `aria-label` and `placeholder`. */
  labels: string[]
  /** For checkboxes and radios. */
  checked?: boolean
}

export interface FormButton {
  name?: string
  value: string
  /** Visible text (the `value` of an input button). */
  text: string
  type: string
  id?: string
}

export interface HtmlForm {
  /** Absolute URL the form submits to. */
  action: string
  method: 'GET' | 'POST'
  controls: FormControl[]
  /** Submit buttons only. */
  buttons: FormButton[]
}

function isElement(node: Node): node is Element {
  return 'tagName' in node
}

function attribute(element: Element, name: string): string | undefined {
  return element.attrs.find((attr) => attr.name === name)?.value
}

function children(node: Node): Node[] {
  if (isElement(node) && node.tagName === 'template') return []
  return 'childNodes' in node ? (node as ParentNode).childNodes : []
}

/** Text content with whitespace collapsed (descendant controls contribute nothing). */
function textOf(node: Node): string {
  const parts: string[] = []
  const visit = (current: Node): void => {
    if (current.nodeName === '#text')
      parts.push((current as DefaultTreeAdapterTypes.TextNode).value)
    else if (
      isElement(current) &&
      ['script', 'style', 'select', 'textarea'].includes(current.tagName)
    )
      return
    for (const child of children(current)) visit(child)
  }
  visit(node)
  return parts.join(' ').replace(/\s+/g, ' ').trim()
}

function labelsByFor(root: Node): Map<string, string> {
  const labels = new Map<string, string>()
  const visit = (node: Node): void => {
    if (isElement(node) && node.tagName === 'label') {
      const target = attribute(node, 'for')
      if (target) labels.set(target, textOf(node))
    }
    for (const child of children(node)) visit(child)
  }
  visit(root)
  return labels
}

function controlOf(element: Element, labels: string[]): FormControl | undefined {
  const name = attribute(element, 'name')
  if (!name || attribute(element, 'disabled') !== undefined) return undefined
  const id = attribute(element, 'id')
  const ownLabels = [...labels]
  const aria = attribute(element, 'aria-label')
  if (aria) ownLabels.push(aria)
  const placeholder = attribute(element, 'placeholder')
  if (placeholder) ownLabels.push(placeholder)
  if (element.tagName === 'textarea') {
    return {
      tag: 'textarea',
      name,
      type: 'textarea',
      value: textOf(element),
      id,
      labels: ownLabels,
    }
  }
  if (element.tagName === 'select') {
    const options: Element[] = []
    const collect = (node: Node): void => {
      if (isElement(node) && node.tagName === 'option') options.push(node)
      for (const child of children(node)) collect(child)
    }
    collect(element)
    const selected =
      options.find((option) => attribute(option, 'selected') !== undefined) ?? options[0]
    const value = selected ? (attribute(selected, 'value') ?? textOf(selected)) : ''
    return { tag: 'select', name, type: 'select', value, id, labels: ownLabels }
  }
  const type = (attribute(element, 'type') ?? 'text').toLowerCase()
  const control: FormControl = {
    tag: 'input',
    name,
    type,
    value: attribute(element, 'value') ?? (type === 'checkbox' || type === 'radio' ? 'on' : ''),
    id,
    labels: ownLabels,
  }
  if (type === 'checkbox' || type === 'radio')
    control.checked = attribute(element, 'checked') !== undefined
  return control
}

function buttonOf(element: Element): FormButton | undefined {
  if (attribute(element, 'disabled') !== undefined) return undefined
  const type = (
    attribute(element, 'type') ?? (element.tagName === 'button' ? 'submit' : 'text')
  ).toLowerCase()
  if (type !== 'submit' && type !== 'image') return undefined
  const value = attribute(element, 'value') ?? ''
  const text = element.tagName === 'button' ? textOf(element) : value || 'Submit'
  return { name: attribute(element, 'name'), value, text, type, id: attribute(element, 'id') }
}

/** All forms of a page, with actions resolved against the page URL. */
export function parseForms(html: string, pageUrl: string): HtmlForm[] {
  const document = parse(html)
  const byFor = labelsByFor(document)
  const forms: HtmlForm[] = []
  let baseUrl = pageUrl

  const visit = (
    node: Node,
    form: HtmlForm | undefined,
    wrappingLabel: string | undefined,
  ): void => {
    if (!isElement(node)) {
      for (const child of children(node)) visit(child, form, wrappingLabel)
      return
    }
    const tag = node.tagName
    if (tag === 'base') {
      const href = attribute(node, 'href')
      if (href) baseUrl = new URL(href, pageUrl).href
    }
    if (tag === 'form') {
      const method = (attribute(node, 'method') ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET'
      const action = attribute(node, 'action')
      const created: HtmlForm = {
        action: new URL(action && action !== '' ? action : pageUrl, baseUrl).href,
        method,
        controls: [],
        buttons: [],
      }
      forms.push(created)
      for (const child of children(node)) visit(child, created, wrappingLabel)
      return
    }
    if (tag === 'label') {
      const text = textOf(node)
      for (const child of children(node)) visit(child, form, text)
      return
    }
    if (form && (tag === 'input' || tag === 'button')) {
      const button = buttonOf(node)
      if (button) {
        form.buttons.push(button)
        return
      }
    }
    if (form && (tag === 'input' || tag === 'select' || tag === 'textarea')) {
      const id = attribute(node, 'id')
      const labels: string[] = []
      const forLabel = id === undefined ? undefined : byFor.get(id)
      if (forLabel) labels.push(forLabel)
      if (wrappingLabel) labels.push(wrappingLabel)
      const control = controlOf(node, labels)
      if (control && !['button', 'reset', 'file', 'image', 'submit'].includes(control.type)) {
        form.controls.push(control)
      }
      if (tag !== 'select') return
    }
    for (const child of children(node)) visit(child, form, wrappingLabel)
  }
  visit(document, undefined, undefined)
  return forms
}

const normalise = (text: string): string => text.replace(/\s+/g, ' ').trim().toLowerCase()

/** The control labelled `label` (exact, case-insensitive), else one whose label contains it. */
export function findControlByLabel(form: HtmlForm, label: string): FormControl | undefined {
  const wanted = normalise(label)
  return (
    form.controls.find((control) => control.labels.some((text) => normalise(text) === wanted)) ??
    form.controls.find((control) => control.labels.some((text) => normalise(text).includes(wanted)))
  )
}

/**
 * The control a simple CSS selector names: `#id`, `[name=x]`, `tag[name="x"]`, `tag#id`.
 * Anything more complex is for the browser driver; undefined here.
 */
export function findControlBySelector(form: HtmlForm, selector: string): FormControl | undefined {
  const byId = /^(?:input|select|textarea)?#([\w-]+)$/.exec(selector.trim())
  if (byId) return form.controls.find((control) => control.id === byId[1])
  const byName = /^(?:input|select|textarea)?\[name=(?:"([^"]*)"|'([^']*)'|([\w-]+))\]$/.exec(
    selector.trim(),
  )
  if (byName) {
    const name = byName[1] ?? byName[2] ?? byName[3]
    return form.controls.find((control) => control.name === name)
  }
  return undefined
}

/** The button whose text, value or id matches. */
export function findButton(form: HtmlForm, name: string | RegExp): FormButton | undefined {
  const matches = (text: string): boolean =>
    typeof name === 'string' ? normalise(text) === normalise(name) : name.test(text)
  return form.buttons.find((button) => matches(button.text) || matches(button.value))
}

/**
 * The form data set: successful controls with their (possibly filled) values, plus the button
 * used to submit when it has a name.
 */
export function formData(
  form: HtmlForm,
  fills: ReadonlyMap<FormControl, string>,
  button?: FormButton,
): URLSearchParams {
  const data = new URLSearchParams()
  for (const control of form.controls) {
    if ((control.type === 'checkbox' || control.type === 'radio') && !control.checked) continue
    data.append(control.name, fills.get(control) ?? control.value)
  }
  if (button?.name) data.append(button.name, button.value)
  return data
}
