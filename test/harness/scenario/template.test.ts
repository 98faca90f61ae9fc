import { describe, expect, it } from 'vitest'
import { HarnessError } from '../../../harness/errors.ts'
import {
  findTemplateReferences,
  parseTemplatePath,
  renderTemplate,
  templateReferences,
} from '../../../harness/scenario/template.ts'

const scope = {
  steps: {
    reg: {
      status: 201,
      body: {
        client_id: 'abc',
        redirect_uris: ['https://a.test/cb', 'https://b.test/cb'],
        client_secret_expires_at: 0,
        nested: { list: [{ name: 'first' }, { name: 'second' }] },
        'client_name#ja': 'クライアント',
      },
      ok: true,
      nothing: null,
    },
  },
  run: { callback_url: 'http://127.0.0.1:4000/cb/x', unique: 'u1' },
}

function templateError(run: () => unknown): HarnessError {
  try {
    run()
  } catch (error) {
    if (error instanceof HarnessError) return error
    throw error
  }
  throw new Error('expected a HarnessError')
}

describe('renderTemplate', () => {
  it('keeps the type of a value when the string is exactly one expression', () => {
    expect(renderTemplate('${{ steps.reg.status }}', scope)).toBe(201)
    expect(renderTemplate('${{steps.reg.ok}}', scope)).toBe(true)
    expect(renderTemplate('${{ steps.reg.nothing }}', scope)).toBeNull()
    expect(renderTemplate('${{ steps.reg.body.redirect_uris }}', scope)).toEqual([
      'https://a.test/cb',
      'https://b.test/cb',
    ])
    expect(renderTemplate('${{   steps.reg.body.nested  }}', scope)).toEqual(
      scope.steps.reg.body.nested,
    )
    expect(renderTemplate('${{ steps.reg.body.client_secret_expires_at }}', scope)).toBe(0)
  })

  it('stringifies expressions embedded in text, objects as JSON', () => {
    expect(
      renderTemplate('id=${{ steps.reg.body.client_id }}; status=${{ steps.reg.status }}', scope),
    ).toBe('id=abc; status=201')
    expect(renderTemplate('uris: ${{ steps.reg.body.redirect_uris }}', scope)).toBe(
      'uris: ["https://a.test/cb","https://b.test/cb"]',
    )
    expect(renderTemplate(' ${{ steps.reg.status }}', scope)).toBe(' 201')
    expect(renderTemplate('${{ steps.reg.nothing }}!', scope)).toBe('null!')
  })

  it('puts a value into a $match pattern as literal text', () => {
    const uri = '${{ steps.reg.body.redirect_uris[0] }}'
    const pattern = { url: { $not: { $match: `^${uri}(?:[?#]|$)` } } }
    const rendered = renderTemplate(pattern, scope) as { url: { $not: { $match: string } } }
    const source = rendered.url.$not.$match
    expect(source).toBe('^https://a\\.test/cb(?:[?#]|$)')
    expect(new RegExp(source).test('https://a.test/cb?code=1')).toBe(true)
    // Unescaped, the dot would match any character.
    expect(new RegExp(source).test('https://aXtest/cb')).toBe(false)
    const only = renderTemplate({ $match: '${{ steps.reg.body.nested.list[0].name }}.' }, scope)
    expect(only).toEqual({ $match: 'first.' })
    const whole = renderTemplate({ $match: '${{ steps.reg.body.redirect_uris[1] }}' }, scope)
    expect(whole).toEqual({ $match: 'https://b\\.test/cb' })
    // Elsewhere values stay as they are.
    expect(renderTemplate({ $eq: '${{ steps.reg.body.redirect_uris[0] }}' }, scope)).toEqual({
      $eq: 'https://a.test/cb',
    })
  })

  it('renders nested objects and arrays, never object keys', () => {
    const input = {
      metadata: { redirect_uris: ['${{ run.callback_url }}'], scope: 'openid', count: 3 },
      '${{ run.unique }}': 'key stays',
      list: [{ id: '${{ steps.reg.body.client_id }}' }, 7, null, false],
    }
    expect(renderTemplate(input, scope)).toEqual({
      metadata: { redirect_uris: ['http://127.0.0.1:4000/cb/x'], scope: 'openid', count: 3 },
      '${{ run.unique }}': 'key stays',
      list: [{ id: 'abc' }, 7, null, false],
    })
  })

  it('reads array elements as a.b[0].c and a.b.0.c, and quoted members', () => {
    expect(renderTemplate('${{ steps.reg.body.nested.list[1].name }}', scope)).toBe('second')
    expect(renderTemplate('${{ steps.reg.body.nested.list.0.name }}', scope)).toBe('first')
    expect(renderTemplate('${{ steps.reg.body.redirect_uris[0] }}', scope)).toBe(
      'https://a.test/cb',
    )
    expect(renderTemplate("${{ steps.reg.body['client_name#ja'] }}", scope)).toBe('クライアント')
  })

  it('fails on an unresolved reference, naming the path and the first missing segment', () => {
    const error = templateError(() =>
      renderTemplate('x ${{ steps.reg.body.client_idd.more }}', scope),
    )
    expect(error.code).toBe('E_TEMPLATE')
    expect(error.message).toContain('unresolved reference steps.reg.body.client_idd.more')
    expect(error.message).toContain('no "client_idd" in steps.reg.body')
    expect(error.message).toContain('has: client_id, redirect_uris')

    const missingStep = templateError(() =>
      renderTemplate({ a: ['${{ steps.later.status }}'] }, scope),
    )
    expect(missingStep.message).toBe(
      'unresolved reference steps.later.status: no "later" in steps (has: reg)',
    )

    const outOfRange = templateError(() =>
      renderTemplate('${{ steps.reg.body.redirect_uris[5] }}', scope),
    )
    expect(outOfRange.message).toBe(
      'unresolved reference steps.reg.body.redirect_uris[5]: no "5" in steps.reg.body.redirect_uris (an array of 2)',
    )
    const throughNull = templateError(() => renderTemplate('${{ steps.reg.nothing.x }}', scope))
    expect(throughNull.message).toBe(
      'unresolved reference steps.reg.nothing.x: no "x" in steps.reg.nothing (it is null)',
    )
  })

  it('renders an unset target.scope as absent where asked (inputs, when), nothing else', () => {
    const scope = { target: { scope: undefined, other: undefined, data: {} }, steps: { reg: {} } }
    const absent = { unset: 'absent' as const }
    const metadata = { redirect_uris: ['https://a.test/cb'], scope: '${{ target.scope }}' }
    const rendered = renderTemplate(metadata, scope, absent)
    expect(rendered).toEqual({ redirect_uris: ['https://a.test/cb'] })
    expect(renderTemplate(['${{ target.scope }}', 'x'], scope, absent)).toEqual(['x'])
    expect(renderTemplate('${{ target.scope }}  profile', scope, absent)).toBe('profile')
    expect(renderTemplate('a ${{ target.scope }} b', scope, absent)).toBe('a b')
    // In an expectation (the default) it stays an error: `body: {}` would match anything.
    expect(() => renderTemplate(metadata, scope)).toThrow(/unresolved reference target\.scope/)
    // Nothing else missing renders as absent: another target member, a pattern, a step's member.
    expect(() => renderTemplate('${{ target.other }}', scope, absent)).toThrow(/unresolved/)
    expect(() => renderTemplate('${{ target.data.x }}', scope, absent)).toThrow(/unresolved/)
    expect(() => renderTemplate({ $match: '${{ target.scope }}' }, scope, absent)).toThrow(
      /unresolved/,
    )
    expect(() => renderTemplate('${{ steps.reg.body }}', scope, absent)).toThrow(/unresolved/)
  })

  it('never walks into prototypes or evaluates code', () => {
    expect(() => renderTemplate('${{ steps.constructor }}', scope)).toThrow(/unresolved reference/)
    expect(() => renderTemplate('${{ steps.reg.body.client_id.length }}', scope)).toThrow(
      /unresolved reference/,
    )
    expect(() => renderTemplate('${{ 1 + 1 }}', scope)).toThrow(/malformed reference/)
    expect(() => renderTemplate('${{ steps.reg.status() }}', scope)).toThrow(/malformed reference/)
  })

  it('keeps a __proto__ member as data, in its place (a body may send one)', () => {
    const input = JSON.parse(
      '{"a": 1, "__proto__": {"id": "${{ steps.reg.body.client_id }}"}, "b": 2}',
    ) as unknown
    const rendered = renderTemplate(input, scope) as Record<string, unknown>
    expect(Object.getPrototypeOf(rendered)).toBe(Object.prototype)
    expect(Object.keys(rendered)).toEqual(['a', '__proto__', 'b'])
    expect(JSON.stringify(rendered)).toBe('{"a":1,"__proto__":{"id":"abc"},"b":2}')
  })

  it('treats $${{ as a literal ${{', () => {
    expect(renderTemplate('$${{ steps.reg.status }}', scope)).toBe('${{ steps.reg.status }}')
    expect(renderTemplate('a $${{ x }} b ${{ steps.reg.status }}', scope)).toBe('a ${{ x }} b 201')
    expect(renderTemplate('no template $ { {', scope)).toBe('no template $ { {')
  })

  it('rejects unclosed and empty expressions', () => {
    expect(() => renderTemplate('${{ steps.reg.status', scope)).toThrow(/unclosed/)
    expect(() => renderTemplate('${{ }}', scope)).toThrow(/empty/)
  })

  it('leaves values without templates unchanged', () => {
    const value = { a: 1, b: [true, null, 'plain'] }
    expect(renderTemplate(value, scope)).toEqual(value)
  })
})

describe('templateReferences', () => {
  it('returns every path used, in document order', () => {
    const value = {
      token: '${{ steps.iat.access_token }}',
      metadata: {
        redirect_uris: ['${{ run.callback_url }}'],
        note: 'a ${{ run.unique }} b $${{ not.this }}',
      },
      '${{ keys.ignored }}': 1,
    }
    expect(templateReferences(value)).toEqual([
      'steps.iat.access_token',
      'run.callback_url',
      'run.unique',
    ])
  })

  it('reports where each reference is', () => {
    const found = findTemplateReferences({ a: [{ b: 'x ${{ steps.s.body[0] }}' }] })
    expect(found).toEqual([
      { path: 'steps.s.body[0]', segments: ['steps', 's', 'body', 0], at: ['a', 0, 'b'] },
    ])
  })

  it('parses paths into segments', () => {
    expect(parseTemplatePath('a.b[0].c')).toEqual(['a', 'b', 0, 'c'])
    expect(parseTemplatePath('a.b.0.c')).toEqual(['a', 'b', 0, 'c'])
    expect(parseTemplatePath('headers.www-authenticate')).toEqual(['headers', 'www-authenticate'])
    expect(() => parseTemplatePath('a..b')).toThrow(/malformed/)
  })
})
