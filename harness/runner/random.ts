/** Seeded randomness for planning order, so a run can be repeated with `--seed`. */

/** A new random seed (32-bit unsigned). */
export function randomSeed(): number {
  return Math.floor(Math.random() * 0x1_0000_0000)
}

/** mulberry32: a small, fast PRNG; good enough to shuffle an execution order. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000
  }
}

/** Fisher–Yates with the seeded generator; returns a new array. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed)
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}
