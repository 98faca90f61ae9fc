/**
 * The publishers running in this process, by public base URL: the run (or the built-in target)
 * starts one, and the `cimd-*` fixtures find it from the target's `cimd.public_base_url`. A map,
 * not a run service, because the built-in target must start its publisher before the reference
 * server, which trusts the publisher's origin (builtin/reference-target.ts).
 */
import { HarnessError } from '../errors.ts'
import { startPublisher, type CimdPublisher, type PublisherOptions } from './publisher.ts'

const running = new Map<string, CimdPublisher>()

function key(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '')
}

/** The publisher serving `publicBaseUrl` in this process, if one runs. */
export function runningPublisher(publicBaseUrl: string | undefined): CimdPublisher | undefined {
  return publicBaseUrl === undefined ? undefined : running.get(key(publicBaseUrl))
}

/** The publisher of a target; an error naming the fix when none runs. */
export function publisherOf(target: {
  name: string
  cimd?: { public_base_url?: string }
}): CimdPublisher {
  const publisher = runningPublisher(target.cimd?.public_base_url)
  if (publisher) return publisher
  throw new HarnessError(
    'E_FIXTURE',
    `target '${target.name}' has no Client ID Metadata Document publisher: add a cimd: block to targets.yaml (README, "Testing an MCP authorization server")`,
  )
}

/** Starts a publisher and makes it findable until it is closed. */
export async function startRegisteredPublisher(options: PublisherOptions): Promise<CimdPublisher> {
  const publisher = await startPublisher(options)
  const baseUrl = key(publisher.baseUrl)
  if (running.has(baseUrl)) {
    await publisher.close()
    throw new HarnessError(
      'E_CONFIG',
      `cimd: a publisher for ${baseUrl} already runs in this process`,
    )
  }
  running.set(baseUrl, publisher)
  return {
    ...publisher,
    async close() {
      running.delete(baseUrl)
      await publisher.close()
    },
  }
}
