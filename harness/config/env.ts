/**
 * Secrets in config files come from the environment only: `${{ env.NAME }}` in any string value
 * is replaced by the variable's value; other `${{ ... }}` expressions (login recipes) are left for
 * their own templating.
 */

const ENV_REFERENCE = /\$\{\{\s*env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g

export interface MissingVariable {
  name: string
  path: (string | number)[]
}

/** Replaces env references in every string leaf; returns the new value and the missing names. */
export function substituteEnv(
  value: unknown,
  env: Record<string, string | undefined>,
  path: (string | number)[] = [],
  missing: MissingVariable[] = [],
): { value: unknown; missing: MissingVariable[] } {
  if (typeof value === 'string') {
    const replaced = value.replace(ENV_REFERENCE, (whole, name: string) => {
      const found = env[name]
      if (found === undefined || found === '') {
        missing.push({ name, path })
        return whole
      }
      return found
    })
    return { value: replaced, missing }
  }
  if (Array.isArray(value)) {
    return {
      value: value.map((item, index) => substituteEnv(item, env, [...path, index], missing).value),
      missing,
    }
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      out[key] = substituteEnv(item, env, [...path, key], missing).value
    }
    return { value: out, missing }
  }
  return { value, missing }
}

/** Whether a string is exactly one env reference (how secrets must be written). */
export function isEnvReference(value: string): boolean {
  return /^\$\{\{\s*env\.[A-Za-z_][A-Za-z0-9_]*\s*\}\}$/.test(value.trim())
}
