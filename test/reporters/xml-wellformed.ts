/**
 * A small, strict XML 1.0 well-formedness checker for the JUnit tests (no dependency): one root,
 * matching tags, quoted and unique attributes, only the five predefined entities and character
 * references, no raw `<` or `&`, no `]]>` in text, no forbidden characters. Throws on the first
 * error; returns the element tree.
 */

export interface XmlElement {
  name: string
  attributes: Record<string, string>
  children: XmlElement[]
  text: string
}

const nameRe = /^[A-Za-z_:][A-Za-z0-9_.:-]*/
const forbiddenChar = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/

function decodeEntities(raw: string, where: string): string {
  if (raw.includes('<')) throw new Error(`raw "<" in ${where}`)
  return raw.replace(/&([^;]*);?/g, (match, body: string) => {
    if (!match.endsWith(';')) throw new Error(`unterminated entity in ${where}: ${match}`)
    const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }
    if (body in named) return named[body] as string
    const numeric = /^#(x[0-9A-Fa-f]+|[0-9]+)$/.exec(body)
    if (!numeric) throw new Error(`unknown entity &${body}; in ${where}`)
    const code =
      body[1] === 'x' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10)
    const char = String.fromCodePoint(code)
    if (forbiddenChar.test(char)) throw new Error(`reference to a forbidden character in ${where}`)
    return char
  })
}

export function parseXml(xml: string): XmlElement {
  if (forbiddenChar.test(xml)) throw new Error('forbidden character in document')
  let pos = 0
  const stack: XmlElement[] = []
  let root: XmlElement | undefined

  const skipSpace = () => {
    while (pos < xml.length && /\s/.test(xml[pos] ?? '')) pos++
  }

  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>')
    if (end < 0) throw new Error('unterminated XML declaration')
    pos = end + 2
  }
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos)
    const text = xml.slice(pos, lt < 0 ? xml.length : lt)
    if (text.length > 0) {
      const parent = stack.at(-1)
      if (!parent) {
        if (text.trim() !== '')
          throw new Error(`text outside the root element: ${text.slice(0, 40)}`)
      } else {
        if (text.includes(']]>')) throw new Error('"]]>" in text')
        parent.text += decodeEntities(text, `text of <${parent.name}>`)
      }
    }
    if (lt < 0) break
    pos = lt
    if (xml.startsWith('<!--', pos)) {
      const end = xml.indexOf('-->', pos + 4)
      if (end < 0) throw new Error('unterminated comment')
      pos = end + 3
      continue
    }
    if (xml.startsWith('</', pos)) {
      pos += 2
      const name = nameRe.exec(xml.slice(pos))?.[0]
      if (!name) throw new Error(`bad closing tag at ${pos}`)
      pos += name.length
      skipSpace()
      if (xml[pos] !== '>') throw new Error(`bad closing tag </${name} at ${pos}`)
      pos++
      const open = stack.pop()
      if (!open || open.name !== name)
        throw new Error(`</${name}> does not close <${open?.name ?? 'nothing'}>`)
      continue
    }
    pos++
    const name = nameRe.exec(xml.slice(pos))?.[0]
    if (!name) throw new Error(`bad tag at ${pos}: ${xml.slice(pos - 1, pos + 20)}`)
    pos += name.length
    const element: XmlElement = { name, attributes: {}, children: [], text: '' }
    for (;;) {
      const before = pos
      skipSpace()
      if (xml.startsWith('/>', pos) || xml[pos] === '>') break
      if (pos === before) throw new Error(`missing space before attribute in <${name}> at ${pos}`)
      const attribute = nameRe.exec(xml.slice(pos))?.[0]
      if (!attribute) throw new Error(`bad attribute in <${name}> at ${pos}`)
      pos += attribute.length
      skipSpace()
      if (xml[pos] !== '=') throw new Error(`attribute ${attribute} without value in <${name}>`)
      pos++
      skipSpace()
      const quote = xml[pos]
      if (quote !== '"' && quote !== "'")
        throw new Error(`unquoted attribute ${attribute} in <${name}>`)
      const end = xml.indexOf(quote, pos + 1)
      if (end < 0) throw new Error(`unterminated attribute ${attribute} in <${name}>`)
      if (attribute in element.attributes)
        throw new Error(`duplicate attribute ${attribute} in <${name}>`)
      element.attributes[attribute] = decodeEntities(
        xml.slice(pos + 1, end),
        `attribute ${attribute} of <${name}>`,
      )
      pos = end + 1
    }
    const parent = stack.at(-1)
    if (parent) parent.children.push(element)
    else if (root) throw new Error(`second root element <${name}>`)
    else root = element
    if (xml.startsWith('/>', pos)) {
      pos += 2
    } else {
      pos += 1
      stack.push(element)
    }
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack.at(-1)?.name}>`)
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
