/**
 * Terminal colours: on only for a TTY with `NO_COLOR` unset; `FORCE_COLOR` forces them on
 * (or off with `0`/`false`). An explicit `color` option wins over both.
 * @see https://no-color.org/
 */
import { stripVTControlCharacters, styleText } from 'node:util'

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

type Format = Parameters<typeof styleText>[0]

export function createPalette(enabled: boolean): Palette {
  // shouldUseColor already decided: styleText must not check process.stdout again.
  const wrap = (format: Format) => (text: string) =>
    enabled ? styleText(format, text, { validateStream: false }) : text
  return {
    enabled,
    green: wrap('green'),
    red: wrap('red'),
    yellow: wrap('yellow'),
    cyan: wrap('cyan'),
    magenta: wrap('magenta'),
    dim: wrap('dim'),
    bold: wrap('bold'),
  }
}

/** Carriage return, then erase the whole line (ECMA-48 EL 2): redraws the live progress line. */
export const CLEAR_LINE = '\r\u001b[2K'

/** Remove ANSI escape sequences and other control characters (not newlines or tabs). */
export function stripControl(text: string): string {
  return stripVTControlCharacters(text).replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '')
}
