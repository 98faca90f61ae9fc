import { describe, expect, it } from 'vitest'
import { notApplicableReason, parseShard, planScenarios } from '../../../harness/runner/plan.ts'
import { shuffled } from '../../../harness/runner/random.ts'
import type { LoadedScenario } from '../../../harness/scenario/load.ts'

function scenario(
  id: string,
  extra: { title?: string; tags?: string[]; requires?: string[]; unless?: string[] } = {},
): LoadedScenario {
  return {
    doc: {
      id,
      title: extra.title ?? `title of ${id}`,
      requirements: ['R'],
      steps: [],
      ...(extra.tags ? { tags: extra.tags } : {}),
      ...(extra.requires ? { requires: extra.requires } : {}),
      ...(extra.unless ? { unless: extra.unless } : {}),
    },
    file: `/suites/${id}.yaml`,
    relativeFile: `suites/${id}.yaml`,
    suitesRoot: '/suites',
    locate: () => ({ file: 'x', line: 1, column: 1 }),
  }
}

const all = [
  scenario('registration/redirect-uris', { tags: ['registration'] }),
  scenario('iat/one-time-use', { tags: ['iat', 'curity'], title: 'A used IAT is refused' }),
  scenario('discovery/openid', { tags: ['discovery'] }),
  scenario('management/delete', { tags: ['rfc7592'], requires: ['rfc7592', 'delete'] }),
  scenario('registration/minimal', { tags: ['registration', 'smoke'] }),
]
const ids = (list: LoadedScenario[]) => list.map((s) => s.doc.id)

describe('planScenarios', () => {
  it('sorts by id without filters', () => {
    expect(ids(planScenarios(all))).toEqual([
      'discovery/openid',
      'iat/one-time-use',
      'management/delete',
      'registration/minimal',
      'registration/redirect-uris',
    ])
  })

  it('greps id and title', () => {
    expect(ids(planScenarios(all, { grep: '^registration/' }))).toEqual([
      'registration/minimal',
      'registration/redirect-uris',
    ])
    expect(ids(planScenarios(all, { grep: 'used IAT' }))).toEqual(['iat/one-time-use'])
    expect(() => planScenarios(all, { grep: '(' })).toThrow(/--grep: invalid regular expression/)
  })

  it('keeps scenarios having any of the tags', () => {
    expect(ids(planScenarios(all, { tags: ['smoke', 'curity'] }))).toEqual([
      'iat/one-time-use',
      'registration/minimal',
    ])
    expect(ids(planScenarios(all, { tags: ['none-such'] }))).toEqual([])
  })

  it('puts every scenario in exactly one shard, for N = 1..5', () => {
    const many = Array.from({ length: 23 }, (_, i) => scenario(`s/${String(i).padStart(2, '0')}`))
    for (let total = 1; total <= 5; total++) {
      const seen = new Map<string, number>()
      const sizes: number[] = []
      for (let index = 1; index <= total; index++) {
        const part = planScenarios(shuffled(many, index), { shard: { index, total } })
        sizes.push(part.length)
        for (const s of part) seen.set(s.doc.id, (seen.get(s.doc.id) ?? 0) + 1)
      }
      expect(seen.size).toBe(many.length)
      expect([...seen.values()].every((count) => count === 1)).toBe(true)
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1)
    }
  })

  it('shards after filtering', () => {
    expect(
      ids(planScenarios(all, { tags: ['registration'], shard: { index: 2, total: 2 } })),
    ).toEqual(['registration/redirect-uris'])
  })
})

describe('parseShard', () => {
  it('accepts I/N and refuses the rest', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, total: 3 })
    for (const bad of ['0/3', '4/3', '1/0', 'a/b', '1', '1/2/3'])
      expect(() => parseShard(bad)).toThrow(/--shard/)
  })
})

describe('notApplicableReason', () => {
  it('names the first missing capability and the target', () => {
    const target = { name: 'acme', capabilities: ['rfc7592'] }
    expect(notApplicableReason(all[3]!, target)).toBe(
      'requires capability delete which target acme does not declare',
    )
    expect(
      notApplicableReason(all[3]!, { name: 'acme', capabilities: ['rfc7592', 'delete'] }),
    ).toBeUndefined()
    expect(
      notApplicableReason(scenario('x', { requires: ['core'] }), {
        name: 'acme',
        capabilities: [],
      }),
    ).toBeUndefined()
  })
})

describe('shuffled', () => {
  it('is a permutation that depends only on the seed', () => {
    const items = Array.from({ length: 20 }, (_, i) => i)
    expect(shuffled(items, 42)).toEqual(shuffled(items, 42))
    expect(shuffled(items, 42)).not.toEqual(shuffled(items, 43))
    expect([...shuffled(items, 7)].sort((a, b) => a - b)).toEqual(items)
  })
})

describe('notApplicableReason: unless and the token without the registration scope', () => {
  it('skips a scenario under a capability it excludes', () => {
    const optionalPkce = scenario('code-flow/x', { unless: ['pkce_required'] })
    expect(notApplicableReason(optionalPkce, { name: 'acme', capabilities: ['pkce_required'] })).toBe(
      'not applicable where capability pkce_required is declared, as target acme does',
    )
    expect(notApplicableReason(optionalPkce, { name: 'acme', capabilities: [] })).toBeUndefined()
  })

  it('decides before the run when a token without the registration scope cannot be had', () => {
    const wanting = scenario('iat/insufficient')
    wanting.doc.steps = [{ id: 't', token: { purpose: 'token-without-registration-scope' } }]
    const reason = notApplicableReason(wanting, {
      name: 'acme',
      capabilities: [],
      registration: { iat: { strategy: 'static', token: 'x' } },
    })
    expect(reason).toMatch(/registration\.iat\.other_scope/)
    const able = {
      name: 'acme',
      capabilities: [],
      registration: {
        iat: { strategy: 'client_credentials' as const, client_id: 'a', client_secret: 'b', other_scope: 'read' },
      },
    }
    expect(notApplicableReason(wanting, able)).toBeUndefined()
  })
})
