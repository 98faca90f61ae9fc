import { describe, expect, it } from 'vitest'
import { createRedactor } from '../../harness/redact.ts'
import { createJunitReporter, renderJunit } from '../../reporters/junit.ts'
import { redactingReporter } from '../../reporters/redacting.ts'
import { escapeXmlAttribute, escapeXmlText } from '../../reporters/xml.ts'
import { HOSTILE_TITLE, memoryStream, replay, sampleReport } from './sample-report.ts'
import { findAll, parseXml } from './xml-wellformed.ts'

describe('the well-formedness checker', () => {
  it('accepts good XML and rejects what is not well-formed', () => {
    expect(
      parseXml('<?xml version="1.0"?>\n<a x="1 &amp; 2"><b/>t&lt;&#10;</a>\n').children,
    ).toHaveLength(1)
    for (const bad of [
      '<a><b></a></b>',
      '<a x=1/>',
      '<a>&nbsp;</a>',
      '<a>x < y</a>',
      '<a/><b/>',
      '<a x="1" x="2"/>',
      '<a>]]></a>',
      '<a>\u0001</a>',
      '<a>',
      'text<a/>',
      '<a x="<"/>',
    ]) {
      expect(() => parseXml(bad), bad).toThrow()
    }
  })
})

describe('junit reporter', () => {
  async function render() {
    const stream = await memoryStream()
    await replay(
      redactingReporter(createJunitReporter({ stream }), createRedactor()),
      sampleReport(),
    )
    return stream.text()
  }

  it('is well-formed and its counts match the test cases', async () => {
    const xml = await render()
    const root = parseXml(xml)
    expect(root.name).toBe('testsuites')
    const suites = findAll(root, 'testsuite')
    expect(suites).toHaveLength(1)
    const suite = suites[0]!
    expect(suite.attributes.name).toBe('acme <idp>')
    const cases = findAll(suite, 'testcase')
    expect(cases).toHaveLength(7)
    const withChild = (name: string) =>
      cases.filter((c) => c.children.some((child) => child.name === name)).length
    for (const element of [root, suite]) {
      expect(element.attributes.tests).toBe('7')
      expect(element.attributes.failures).toBe(String(withChild('failure')))
      expect(element.attributes.errors).toBe(String(withChild('error')))
      expect(element.attributes.skipped).toBe(String(withChild('skipped')))
      expect(element.attributes.time).toBe('1.234')
    }
    // failed + stale; errored; skipped + xfail
    expect([withChild('failure'), withChild('error'), withChild('skipped')]).toEqual([2, 1, 2])
  })

  it('describes each outcome as CI systems expect', async () => {
    const root = parseXml(await render())
    const byId = (id: string) =>
      findAll(root, 'testcase').find((c) => c.attributes.name?.startsWith(`${id}: `))!
    const failed = byId('registration/status-201')
    expect(failed.attributes.classname).toBe('registration')
    expect(failed.attributes.name).toBe('registration/status-201: Registration answers 201 Created')
    expect(failed.attributes.time).toBe('0.010')
    const failure = failed.children[0]!
    expect(failure.name).toBe('failure')
    expect(failure.attributes.message).toBe(
      '[R7591-3.2.1-a] status is 201: expected status 201, got 200 <b>&</b>',
    )
    expect(failure.attributes.type).toBe('must')
    expect(failure.text).toContain('expected: 201')
    expect(failure.text).toContain('step reg: secret differs (should, R7591-3.2.1-c)')

    const errored = byId('authorize/code-flow').children[0]!
    expect(errored.name).toBe('error')
    expect(errored.attributes.message).toContain('E_LOGIN')

    expect(byId('management/read').children[0]).toMatchObject({
      name: 'skipped',
      attributes: { message: 'requires capability rfc7592 (not claimed by the target)' },
    })
    expect(byId('token/refresh').children[0]).toMatchObject({
      name: 'skipped',
      attributes: { message: 'expected failed: refresh tokens are not rotated (vendor docs)' },
    })
    expect(byId('iat/one-time').children[0]).toMatchObject({
      name: 'failure',
      attributes: { type: 'stale' },
    })

    const warned = byId('registration/cache-control').children[0]!
    expect(warned.name).toBe('system-out')
    expect(warned.text).toBe(
      'warning: step reg: [R6749-5.1-b] Pragma no-cache: header pragma is absent',
    )
    expect(byId('registration/basic').children).toEqual([])
  })

  it('escapes markup and drops characters XML cannot carry', async () => {
    const xml = await render()
    const root = parseXml(xml)
    const hostile = findAll(root, 'testcase').find(
      (c) =>
        c.attributes.classname === 'registration' &&
        c.attributes.name?.startsWith('registration/basic'),
    )!
    // Control characters dropped, everything else kept verbatim after decoding.
    expect(hostile.attributes.name).toBe(
      `registration/basic: ${HOSTILE_TITLE.replace(/[\u0001\u001b]/g, '')}`,
    )
    expect(xml).not.toContain('<script>')
    expect(escapeXmlText('a]]>b<&')).toBe('a]]&gt;b&lt;&amp;')
    expect(escapeXmlAttribute('"\'\n\t\u0000\uffff')).toBe('&quot;&apos;&#10;&#9;')
    expect(escapeXmlText('\ud800x\udc00')).toBe('x')
    expect(escapeXmlText('😀')).toBe('😀')
  })

  it('renders an empty run', () => {
    const xml = renderJunit(sampleReport({ scenarios: [], notices: [], leftovers: [] }))
    const root = parseXml(xml)
    expect(root.attributes.tests).toBe('0')
    expect(findAll(root, 'testcase')).toEqual([])
  })
})
