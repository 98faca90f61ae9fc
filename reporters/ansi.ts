/**
 * Terminal colours: on only for a TTY with `NO_COLOR` unset; `FORCE_COLOR` forces them on
 * (or off with `0`/`false`). An explicit `color` option wins over both.
 * @see https://no-color.org/
 */

export interface Palette {
  enabled: boolean
  green(text: string): string
  red(text: string): string
  yellow(text: string): string
  cyan(text: string): string
  magenta(text: string): string
  dim(text: string): string
  bold(text: string): string
}

export function shouldUseColor(
  stream: { isTTY?: boolean } | undefined,
  env: Record<string, string | undefined>,
  explicit?: boolean,
): boolean {
  if (explicit !== undefined) return explicit
  const force = env.FORCE_COLOR
  if (force !== undefined) return !['0', 'false'].includes(force.trim().toLowerCase())
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false
  return stream?.isTTY === true
}

export function createPalette(enabled: boolean): Palette {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text
  return {
    enabled,
    green: wrap(32, 39),
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    magenta: wrap(35, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  }
}

/** Remove ANSI escape sequences and other control characters (not newlines or tabs). */
export function stripControl(text: string): string {
  return text
    .replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
}
