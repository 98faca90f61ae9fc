/** Min and median of repeated measurements, and the plain-text table the bench prints. */

export interface Spread {
  min: number
  median: number
  runs: number[]
}

export function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  const median =
    sorted.length === 0
      ? NaN
      : sorted.length % 2 === 1
        ? sorted[middle]!
        : (sorted[middle - 1]! + sorted[middle]!) / 2
  return { min: sorted[0] ?? NaN, median, runs: values }
}

/** Ratios of paired runs (run i of `a` over run i of `b`), so a noisy moment hits both sides. */
export function pairedRatios(a: number[], b: number[]): Spread {
  return spread(a.map((value, i) => value / b[i]!))
}

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  const line = (row: string[]) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)]
    .join('\n')
}

export const ms = (value: number) => `${value.toFixed(0)} ms`
export const x = (value: number) => `${value.toFixed(2)}x`

/** A number from the environment, or the default. */
export function envNumber(name: string, fallback: number): number {
  const value = Number(process.env[name])
  return Number.isFinite(value) && value > 0 ? value : fallback
}
