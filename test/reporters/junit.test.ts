import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createRedactor } from '../../harness/redact.ts'
import { createJunitReporter, renderJunit } from '../../reporters/junit.ts'
import { redactingReporter } from '../../reporters/redacting.ts'
import { escapeXmlAttribute, escapeXmlText } from '../../reporters/xml.ts'
import { HOSTILE_TITLE, memoryStream, replay, sampleReport } from './sample-report.ts'
import { findAll, parseXml, type XmlElement } from './xml-wellformed.ts'

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
    expect(suites.map((suite) => suite.attributes.name)).toEqual([
      'acme <idp>',
      'acme <idp>: requirements',
    ])
    const withChild = (element: XmlElement, name: string) =>
      findAll(element, 'testcase').filter((c) => c.children.some((child) => child.name === name))
        .length
    for (const element of [root, ...suites]) {
      expect(element.attributes.tests).toBe(String(findAll(element, 'testcase').length))
      expect(element.attributes.failures).toBe(String(withChild(element, 'failure')))
      expect(element.attributes.errors).toBe(String(withChild(element, 'error')))
      expect(element.attributes.skipped).toBe(String(withChild(element, 'skipped')))
    }
    expect(root.attributes.time).toBe('1.234')
    const [scenarios, requirements] = suites as [XmlElement, XmlElement]
    // 9 scenarios and the stale expectation; 9 requirements.
    expect(scenarios.attributes.tests).toBe('10')
    expect(requirements.attributes.tests).toBe('9')
    // failed + stale; errored; skipped + xfail + 2 inconclusive: inconclusive is never a failure.
    const kinds = (element: XmlElement) =>
      ['failure', 'error', 'skipped'].map((name) => withChild(element, name))
    expect(kinds(scenarios)).toEqual([2, 1, 4])
    // fail; -; inconclusive x2, untested, not-applicable, fail (known deviation)
    expect(kinds(requirements)).toEqual([1, 0, 5])
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
    // The requirement with its title and spec link; expected and actual once.
    expect(failure.text).toContain(
      'step reg: status is 201 (must)\n  R7591-3.2.1-a "Success is 201 Created with a JSON ' +
        'object body" (RFC 7591 §3.2.1 https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1)\n' +
        '  expected status 201, got 200 <b>&</b>\n',
    )
    expect(failure.text).not.toContain('expected: 201')
    expect(failure.text).toContain('step reg: secret differs (should)\n  R7591-3.2.1-c')
    // The file is relative to the suite root, wherever the run started.
    expect(failed.attributes.file).toBe('suites/registration/status-201.yaml')

    const errored = byId('authorize/code-flow').children[0]!
    expect(errored.name).toBe('error')
    expect(errored.attributes.message).toContain('E_LOGIN')

    expect(byId('management/read').children[0]).toMatchObject({
      name: 'skipped',
      attributes: { message: 'requires capability rfc7592 (not claimed by the target)' },
    })
    expect(byId('token/refresh').children[0]).toMatchObject({
      name: 'skipped',
      attributes: { message: 'known deviation: refresh tokens are not rotated (vendor docs)' },
    })
    expect(byId('registration/redirect-uris').children[0]).toMatchObject({
      name: 'skipped',
      attributes: {
        message:
          'inconclusive: blocked at step reg (register): status: expected 2xx, got 400; ' +
          'the answer violates R7591-3.2.1-a',
      },
    })
    expect(byId('iat/one-time').children).toEqual([])
    const stale = findAll(root, 'testcase').find(
      (c) => c.attributes.name === 'expectation R7591-3-d',
    )!
    expect(stale.attributes.classname).toBe('expectations')
    expect(stale.children[0]).toMatchObject({
      name: 'failure',
      attributes: {
        type: 'stale',
        message: 'stale expectation: R7591-3-d now holds (server accepts IAT reuse (ticket 42))',
      },
    })

    const warned = byId('registration/cache-control').children[0]!
    expect(warned.name).toBe('system-out')
    expect(warned.text).toBe(
      'warning: step reg: [R6749-5.1-b] Pragma no-cache: header pragma is absent',
    )
    expect(byId('registration/basic').children).toEqual([])
  })

  it('puts root causes and known deviations in the suite output', async () => {
    const root = parseXml(await render())
    const suite = findAll(root, 'testsuite')[0]!
    const output = suite.children.find((child) => child.name === 'system-out')!
    expect(output.text.split('\n')).toEqual(
      expect.arrayContaining([
        'inconclusive: register: status: expected 2xx, got 400: blocks 2 scenarios; ' +
          'the answer violates R7591-3.2.1-a',
        'known deviation: R6749-6-a in token/refresh: refresh tokens are not rotated (vendor docs)',
        'caveat: the target runs on plain http: transport security was not tested',
      ]),
    )
  })

  it('reports the requirement table as a suite of its own', async () => {
    const root = parseXml(await render())
    const suite = findAll(root, 'testsuite')[1]!
    const byName = (name: string) =>
      findAll(suite, 'testcase').find((c) => c.attributes.name === name)!
    const failed = byName('R7591-3.2.1-a: Success is 201 Created with a JSON object body')
    expect(failed.attributes.classname).toBe('requirements')
    expect(failed.children[0]).toMatchObject({
      name: 'failure',
      attributes: { message: 'R7591-3.2.1-a fails: registration/status-201 > reg: status is 201' },
    })
    expect(byName('R6749-6-a: Refresh tokens are rotated').children[0]).toMatchObject({
      name: 'skipped',
      attributes: { message: 'fail (known deviation): token/refresh > refresh: new refresh token' },
    })
    expect(byName('R7591-2-a: redirect_uris are registered as given').children[0]).toMatchObject({
      name: 'skipped',
      attributes: { message: 'inconclusive: scenarios: registration/redirect-uris' },
    })
    expect(byName('R7591-2.3-a').children[0]?.name).toBe('skipped')
    expect(byName('R7591-3-d: An initial access token is used once').children).toEqual([])
    expect(byName('R6749-5.1-b: Token responses carry Pragma: no-cache').children[0]).toMatchObject(
      { name: 'system-out', text: 'warning: registration/cache-control > reg: Pragma no-cache' },
    )
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

/** An absolute folder of this machine, never a path written into the repo. */
const outDir = join(tmpdir(), 'dcrc-junit-out')

describe('portable JUnit', () => {
  it('names files relative to the suite root and attaches artifacts relative to the report', () => {
    const scenarios = sampleReport().scenarios
    const login = scenarios.find((s) => s.id === 'authorize/code-flow')!
    login.file = '../../node_modules/dcr-conformance/suites/authorize/code-flow.yaml'
    login.steps[0]!.artifacts = [
      {
        name: 'login-failure.png',
        path: join(outDir, '.dcr-conformance', 'artifacts', 'run', 'login-failure-1.png'),
        contentType: 'image/png',
      },
    ]
    const root = parseXml(renderJunit(sampleReport({ scenarios }), join(outDir, 'reports')))
    const testcase = findAll(root, 'testcase').find((c) =>
      c.attributes.name?.startsWith('authorize/code-flow: '),
    )!
    expect(testcase.attributes.file).toBe('suites/authorize/code-flow.yaml')
    const out = testcase.children.find((child) => child.name === 'system-out')!
    expect(out.text).toBe('[[ATTACHMENT|../.dcr-conformance/artifacts/run/login-failure-1.png]]')
    expect(testcase.children[0]?.text).toContain('hint: the login never reached the callback')
  })
})

describe('renderJunit of a run that judged nothing', () => {
  it('shows the run as one errored case with the reason, not green', () => {
    const reason = 'nothing was judged: of 2 scenarios, 2 skipped (see their reasons)'
    const report = sampleReport({ status: 'errored', reason, expectations: [] })
    const skipped = report.scenarios.slice(0, 2).map((s) => ({ ...s, outcome: 'skipped' as const }))
    const root = parseXml(renderJunit({ ...report, scenarios: skipped }))
    const errors = findAll(root, 'error')
    expect(errors.map((error) => error.attributes['message'])).toEqual([reason])
    const suites = findAll(root, 'testsuite')
    expect(suites[0]?.attributes['errors']).toBe('1')
  })
})
