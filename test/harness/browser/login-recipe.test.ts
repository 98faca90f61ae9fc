import { describe, expect, it } from 'vitest'
import { DEFAULT_CONSENT_NAME, DEFAULT_LOGIN_STEPS } from '../../../harness/browser/login-recipe.ts'
import { fillValueRole, renderLoginValue } from '../../../harness/browser/login-recipe.ts'
import { resolveLoginRecipe } from '../../../harness/browser/login-recipe.ts'
import { HarnessError } from '../../../harness/errors.ts'

describe('login recipes', () => {
  it('uses the default steps when the target gives neither steps nor a script', () => {
    expect(resolveLoginRecipe({ username: 'u', password: 'p' })).toMatchObject({
      steps: DEFAULT_LOGIN_STEPS,
      isDefault: true,
    })
    expect(resolveLoginRecipe(undefined).isDefault).toBe(true)
    const scripted = resolveLoginRecipe({ script: './login.ts' })
    expect(scripted).toMatchObject({ steps: [], isDefault: false, script: './login.ts' })
    const own = [{ click: { name: 'Go' } }]
    expect(resolveLoginRecipe({ steps: own }).steps).toBe(own)
  })

  it('renders login references and refuses unknown or unset ones', () => {
    const recipe = resolveLoginRecipe({ username: 'alice', password: 'pw' })
    expect(renderLoginValue('${{ login.username }}/${{login.password}}', recipe)).toBe('alice/pw')
    expect(() => renderLoginValue('${{ env.X }}', recipe)).toThrow(HarnessError)
    const noPassword = resolveLoginRecipe({ username: 'alice' })
    expect(() => renderLoginValue('${{ login.password }}', noPassword)).toThrow(/has no password/)
  })

  it('knows what a fill value stands for and which buttons mean consent', () => {
    expect(fillValueRole('${{ login.password }}')).toBe('password')
    expect(fillValueRole('${{login.username}}')).toBe('username')
    expect(fillValueRole('literal')).toBe('other')
    for (const name of ['Continue', 'Allow access', 'Accept', 'Authorize', 'Yes']) {
      expect(DEFAULT_CONSENT_NAME.test(name)).toBe(true)
    }
    expect(DEFAULT_CONSENT_NAME.test('Cancel')).toBe(false)
  })
})
