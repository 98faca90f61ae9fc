/**
 * XML 1.0 well-formedness for the JUnit tests, by saxes (a strict, conforming parser: one root,
 * matching tags, quoted unique attributes, only declared entities, no raw `<` or `&`, no `]]>` in
 * text, no forbidden characters). Throws on the first error; returns the element tree.
 */
import { SaxesParser } from 'saxes'

export interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: XmlElement[]
  text: string
}

export function parseXml(xml: string): XmlElement {
  const parser = new SaxesParser()
  const open: XmlElement[] = []
  let root: XmlElement | undefined
  let failure: Error | undefined
  parser.on('error', (error) => {
    failure ??= error
  })
  parser.on('opentag', (tag) => {
    const { name, attributes } = tag
    const element: XmlElement = { name, attributes: { ...attributes }, children: [], text: '' }
    open.at(-1)?.children.push(element)
    root ??= element
    open.push(element)
  })
  parser.on('closetag', () => open.pop())
  const addText = (text: string) => {
    const parent = open.at(-1)
    if (parent) parent.text += text
  }
  parser.on('text', addText)
  parser.on('cdata', addText)
  parser.write(xml).close()
  if (failure) throw failure
  if (!root) throw new Error('no root element')
  return root
}

/** All descendants named `name`. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  const found: XmlElement[] = []
  for (const child of element.children) {
    if (child.name === name) found.push(child)
    found.push(...findAll(child, name))
  }
  return found
}
