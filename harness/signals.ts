/**
 * Ctrl-C for `run` (issue 10, item 2). The first SIGINT, SIGTERM or SIGHUP interrupts the run:
 * no new scenario or step starts, work in flight gets a grace period, every registered client is
 * deleted, every report is written `interrupted`, exit 3 (harness/runner/interrupt.ts). A second
 * one quits at once (exit 130) and prints the clients still registered, so none goes unreported.
 * Chromium is launched without Playwright's own handlers (harness/browser/playwright-driver.ts);
 * Playwright's exit hook still kills it when the process exits.
 */
import { setMaxListeners } from 'node:events'
import { MAX_MESSAGE_VALUE, capText } from './http/cap.ts'
import { RunInterrupted } from './runner/interrupt.ts'

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
/** At most this many leftover clients are listed on a hard quit (the report has none then). */
const MAX_LISTED = 200

/** A client the run registered and has not deleted yet. */
export interface PendingClient {
  client_id: string
  registration_client_uri?: string
}

export interface Interrupts {
  signal: AbortSignal
  dispose(): void
}

export interface InterruptOptions {
  stderr: NodeJS.WritableStream
  /** The clients still registered (the run's ledger). */
  pending(): PendingClient[]
  /** How to quit at once (default process.exit). */
  exit?: (code: number) => void
}

/** Installs the handlers; `dispose` removes them (after the run). */
export function interruptOnSignals(options: InterruptOptions): Interrupts {
  const controller = new AbortController()
  // Every running scenario listens (runner/interrupt.ts afterGrace): --workers 16 is not a leak.
  setMaxListeners(0, controller.signal)
  const exit = options.exit ?? ((code: number) => process.exit(code))
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      options.stderr.write(hardQuitText(name, options.pending()))
      exit(130)
      return
    }
    options.stderr.write(
      `interrupted (${name}): finishing requests in flight, deleting registered clients and ` +
        'writing the reports; repeat to quit now\n',
    )
    controller.abort(new RunInterrupted(name))
  }
  for (const name of SIGNALS) process.on(name, onSignal)
  return {
    signal: controller.signal,
    dispose() {
      for (const name of SIGNALS) process.off(name, onSignal)
    },
  }
}

/** What a second signal prints: the clients that stay registered on the target. */
export function hardQuitText(name: string, pending: readonly PendingClient[]): string {
  if (pending.length === 0) return `${name} again: quitting now; no registered client is left\n`
  const lines = pending.slice(0, MAX_LISTED).map((client) => {
    const where = client.registration_client_uri
      ? ` (${capText(client.registration_client_uri, MAX_MESSAGE_VALUE)})`
      : ''
    return `  leftover client: ${capText(client.client_id, MAX_MESSAGE_VALUE)}${where}\n`
  })
  const more = pending.length > MAX_LISTED ? `  … and ${pending.length - MAX_LISTED} more\n` : ''
  return (
    `${name} again: quitting now; ${pending.length} registered client(s) not deleted:\n` +
    lines.join('') +
    more
  )
}
