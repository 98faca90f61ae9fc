/**
 * MCP sessions as a stateful Streamable HTTP server keeps them (MCP transports, Session
 * Management): `initialize` opens one and the answer carries its `Mcp-Session-Id`; any other
 * request needs that header (400 without it, 404 for an id this server does not know). Bounded:
 * the oldest session is forgotten first, so a long run cannot grow memory.
 */
import { randomUUID } from 'node:crypto'
import type { ServerContext } from '../context.ts'

const MAX_SESSIONS = 1000

/** Session id -> the resource (MCP server URL) it was opened at. */
const sessionsByServer = new WeakMap<ServerContext, Map<string, string>>()

function sessionsOf(ctx: ServerContext): Map<string, string> {
  let sessions = sessionsByServer.get(ctx)
  if (!sessions) {
    sessions = new Map()
    sessionsByServer.set(ctx, sessions)
  }
  return sessions
}

/** Opens a session at `resource`; its id is a fresh UUID (visible ASCII, as the transport asks). */
export function openSession(ctx: ServerContext, resource: string): string {
  const sessions = sessionsOf(ctx)
  if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.keys().next().value!)
  const id = randomUUID()
  sessions.set(id, resource)
  return id
}

/** Whether `id` is a session opened at `resource`. */
export function hasSession(ctx: ServerContext, id: string, resource: string): boolean {
  return sessionsOf(ctx).get(id) === resource
}
