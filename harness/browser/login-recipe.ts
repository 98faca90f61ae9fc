/**
 * Login recipes: how a driver logs in at the target's login page. A target without a recipe of
 * its own gets the reference server's page (labels Username/Password, button Login).
 */
import { HarnessError } from '../errors.ts'
import type { LoginRecipe, LoginStep } from '../model/target.ts'

/**
 * The reference server's login page (labels Username/Password, button Login); the selectors are
 * alternatives that also fit common pages (node-oidc-provider's `login` field and Sign-in button).
 */
export const DEFAULT_LOGIN_STEPS: LoginStep[] = [
  {
    fill: {
      label: 'Username',
      selector:
        'input[name="username"], input[name="login"], input[name="email"], input[type="email"]',
      value: '${{ login.username }}',
    },
  },
  {
    fill: { label: 'Password', selector: 'input[type="password"]', value: '${{ login.password }}' },
  },
  {
    click: {
      role: 'button',
      name: 'Login',
      selector: 'form button:not([type="button"]):not([type="reset"]), form input[type="submit"]',
    },
  },
]

/** Button texts taken for consent when the recipe names none. */
export const DEFAULT_CONSENT_NAME = /^\s*(continue|allow|accept|authori[sz]e|yes)\b/i

/** A recipe ready to drive: credentials known, steps filled in. */
export interface ResolvedLoginRecipe {
  username?: string
  password?: string
  /** Declarative steps (the default steps when the target gave neither steps nor a script). */
  steps: LoginStep[]
  /** Absolute or cwd-relative path of a module exporting `login(page, ctx)`. */
  script?: string
  consent?: LoginRecipe['consent']
  /** True when these are the default steps, not the target's. */
  isDefault: boolean
}

export function resolveLoginRecipe(recipe: LoginRecipe | undefined): ResolvedLoginRecipe {
  const steps = recipe?.steps && recipe.steps.length > 0 ? recipe.steps : undefined
  return {
    username: recipe?.username,
    password: recipe?.password,
    steps: steps ?? (recipe?.script ? [] : DEFAULT_LOGIN_STEPS),
    script: recipe?.script,
    consent: recipe?.consent,
    isDefault: steps === undefined && recipe?.script === undefined,
  }
}

/**
 * Replace `${{ login.username }}` and `${{ login.password }}` in a step value.
 * Any other `${{ ... }}` is a configuration error (env references were substituted on load).
 */
export function renderLoginValue(value: string, recipe: ResolvedLoginRecipe): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_match, path: string) => {
    if (path === 'login.username' || path === 'login.password') {
      const resolved = path === 'login.username' ? recipe.username : recipe.password
      if (resolved === undefined) {
        throw new HarnessError(
          'E_CONFIG',
          `the login recipe uses \${{ ${path} }} but the target's login has no ${path.slice(6)}`,
        )
      }
      return resolved
    }
    throw new HarnessError('E_CONFIG', `unknown reference \${{ ${path} }} in a login step`)
  })
}

/** What a fill step's value stands for, so that the HTTP driver can find the field by role. */
export function fillValueRole(value: string): 'username' | 'password' | 'other' {
  if (/\$\{\{\s*login\.password\s*\}\}/.test(value)) return 'password'
  if (/\$\{\{\s*login\.username\s*\}\}/.test(value)) return 'username'
  return 'other'
}
