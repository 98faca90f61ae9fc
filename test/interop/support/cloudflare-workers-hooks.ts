/**
 * A module resolve hook (node:module `register`) that makes the Workers runtime module
 * `cloudflare:workers` importable in Node: the specifier resolves to
 * cloudflare-workers-shim.ts beside this file. test/interop/cloudflare-server.ts registers it
 * before it imports @cloudflare/workers-oauth-provider, whose first line is
 * `import { WorkerEntrypoint } from "cloudflare:workers"`. Every other specifier goes on to the
 * next hook (tsx's, then Node's own).
 */
import type { ResolveHook } from 'node:module'

const SHIM = new URL('./cloudflare-workers-shim.ts', import.meta.url).href

export const resolve: ResolveHook = (specifier, context, nextResolve) =>
  specifier === 'cloudflare:workers'
    ? { url: SHIM, format: 'module', shortCircuit: true }
    : nextResolve(specifier, context)
