/**
 * The order and concurrency of a run's scenarios. Chromium is CPU-bound, so scenarios that log
 * in with a real browser run at most `browser` at once (near the CPU count); they go first,
 * being the longest. Scenarios that only wait on HTTP run alongside them, up to `total` in flight
 * (the target's `limits.concurrency`): more CPUs would not make them faster, only the target can.
 */
import { availableParallelism } from 'node:os'
import type { LoadedScenario } from '../scenario/load.ts'
import type { ResolvedTarget } from '../model/target.ts'

/**
 * Scenarios in flight when neither `--workers` nor the target's `limits.concurrency` says: HTTP
 * scenarios mostly wait on the target, and 8 concurrent clients is a load any test deployment
 * takes (a browser alone opens 6 connections per host).
 */
export const DEFAULT_CONCURRENCY = 8

export interface ScheduleLimits {
  /** Scenarios in flight. */
  total: number
  /** Of them, scenarios that log in with a real browser. */
  browser: number
}

/**
 * `--workers` caps the scenarios in flight (default: the target's `limits.concurrency`, else
 * DEFAULT_CONCURRENCY), never above that limit; browser logins also at most the CPU count.
 */
export function scheduleLimits(
  requested: number | undefined,
  target: ResolvedTarget,
  cpus = availableParallelism(),
): ScheduleLimits {
  const cap = target.limits?.concurrency
  const wanted = requested && requested > 0 ? requested : (cap ?? DEFAULT_CONCURRENCY)
  const total = Math.max(1, cap ? Math.min(wanted, cap) : wanted)
  return { total, browser: Math.max(1, Math.min(total, cpus)) }
}

/** Whether a scenario drives the login machinery (an authorize step anywhere). */
export function logsIn(scenario: LoadedScenario): boolean {
  const steps = [...scenario.doc.steps, ...(scenario.doc.cleanup ?? [])]
  return steps.some((step) => step.authorize !== undefined)
}

/**
 * Run `work` on every item: `browser` items first (at most `limits.browser` at once), the others
 * alongside, at most `limits.total` in all. Items start in the order given within each kind.
 */
export async function runScheduled<T>(
  items: readonly { item: T; browser: boolean }[],
  limits: ScheduleLimits,
  work: (item: T) => Promise<void>,
): Promise<void> {
  const heavy = items.filter((entry) => entry.browser).map((entry) => entry.item)
  const light = items.filter((entry) => !entry.browser).map((entry) => entry.item)
  let heavyRunning = 0
  let waiting: (() => void)[] = []
  const wake = (): void => {
    const woken = waiting
    waiting = []
    for (const resume of woken) resume()
  }
  const worker = async (): Promise<void> => {
    for (;;) {
      let item: T
      let isHeavy = false
      if (heavy.length > 0 && heavyRunning < limits.browser) {
        item = heavy.shift() as T
        isHeavy = true
        heavyRunning += 1
      } else if (light.length > 0) {
        item = light.shift() as T
      } else if (heavy.length > 0) {
        // Only browser scenarios are left and their slots are taken: wait for one to free.
        await new Promise<void>((resume) => waiting.push(resume))
        continue
      } else {
        return
      }
      try {
        await work(item)
      } finally {
        if (isHeavy) {
          heavyRunning -= 1
          wake()
        }
      }
    }
  }
  const count = Math.max(1, Math.min(limits.total, items.length))
  await Promise.all(Array.from({ length: count }, worker))
}
