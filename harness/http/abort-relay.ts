/**
 * A request's own AbortController, aborted with its caller's signal (a scenario's, the run's
 * interrupt). Not AbortSignal.any: on Node 20 each composite stays tied to its source signal
 * while that one lives, so the run's signal would hold every request's. Not a listener per
 * request either: a parallel step puts dozens of requests on one signal, past the EventTarget
 * listener warning. One listener per signal relays to the requests that follow it.
 */

interface Followers {
  controllers: Set<AbortController>
  relay: () => void
}

const followersOf = new WeakMap<AbortSignal, Followers>()

/** Abort `controller` with `signal` (its reason) from now on; the returned function stops it. */
export function followAbort(signal: AbortSignal, controller: AbortController): () => void {
  if (signal.aborted) {
    controller.abort(signal.reason)
    return () => {}
  }
  let followers = followersOf.get(signal)
  if (!followers) {
    const controllers = new Set<AbortController>()
    const relay = () => {
      for (const follower of controllers) follower.abort(signal.reason)
    }
    followers = { controllers, relay }
    followersOf.set(signal, followers)
    signal.addEventListener('abort', relay, { once: true })
  }
  const { controllers, relay } = followers
  controllers.add(controller)
  return () => {
    controllers.delete(controller)
    if (controllers.size > 0) return
    signal.removeEventListener('abort', relay)
    followersOf.delete(signal)
  }
}
