/**
 * What @cloudflare/workers-oauth-provider takes from the Workers runtime module
 * `cloudflare:workers` (see cloudflare-workers-hooks.ts): the `WorkerEntrypoint` base class,
 * whose instances the runtime creates per request as `new Handler(ctx, env)` with `this.ctx` and
 * `this.env` set. The provider only checks `handler.prototype instanceof WorkerEntrypoint` and
 * constructs such handlers the same way; the interop server's own handlers are plain objects.
 */
export class WorkerEntrypoint<Env = unknown, Ctx = unknown> {
  protected readonly ctx: Ctx
  protected readonly env: Env
  constructor(ctx: Ctx, env: Env) {
    this.ctx = ctx
    this.env = env
  }
}
