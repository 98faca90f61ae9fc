/**
 * What an interrupt (SIGINT, SIGTERM, SIGHUP) means to a run: no new scenario starts, a running
 * one starts no new step, and work in flight (a registration whose answer names a client the
 * ledger must delete) gets {@link INTERRUPT_GRACE_MS} to finish before it is aborted. Then the
 * ledger deletes every client, every report is written with status `interrupted`, exit 3.
 */
import { HarnessError } from '../errors.ts'

/** How long requests and browser steps in flight may go on after an interrupt. */
export const INTERRUPT_GRACE_MS = 5_000

/** The abort reason of an interrupted run. */
export class RunInterrupted extends HarnessError {
  readonly signalName: string
  constructor(signalName: string) {
    super('E_INTERRUPTED', `interrupted by ${signalName}`)
    this.name = 'RunInterrupted'
    this.signalName = signalName
  }
}

/** Why `signal` was aborted, as one line (`interrupted by SIGINT`). */
export function interruptMessage(signal: AbortSignal): string {
  const reason: unknown = signal.reason
  if (reason instanceof Error) return reason.message
  return typeof reason === 'string' ? reason : 'interrupted'
}

/**
 * A signal that follows `interrupt` after a grace period: what in-flight work listens to. The
 * returned `dispose` stops the timer (call it when the work is over).
 */
export function afterGrace(
  interrupt: AbortSignal | undefined,
  graceMs = INTERRUPT_GRACE_MS,
): { signal: AbortSignal | undefined; dispose(): void } {
  if (!interrupt) return { signal: undefined, dispose: () => undefined }
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const start = () => {
    timer = setTimeout(() => controller.abort(interrupt.reason), graceMs)
  }
  if (interrupt.aborted) start()
  else interrupt.addEventListener('abort', start, { once: true })
  return {
    signal: controller.signal,
    dispose() {
      clearTimeout(timer)
      interrupt.removeEventListener('abort', start)
    },
  }
}
