/**
 * What a bench server process answers its parent over IPC: `memory` collects garbage (when node
 * runs with --expose-gc) and replies with process.memoryUsage(), so RSS is compared after a GC.
 */
export function answerMemoryRequests(): void {
  process.on('message', (message) => {
    if (message !== 'memory') return
    const gc = (globalThis as { gc?: () => void }).gc
    gc?.()
    process.send?.({ memory: process.memoryUsage(), gc: gc !== undefined })
  })
}
