/**
 * What the interop servers that run as child processes share (lemonldap-server.ts,
 * glewlwyd-server.ts): a free loopback port for a server that cannot report port 0, stopping the
 * child, and dropping root to `nobody` with a folder it owns.
 */
import type { ChildProcess } from 'node:child_process'
import { chmod, chown, readFile, readdir } from 'node:fs/promises'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child has exited. */
export async function stopChild(child: ChildProcess | undefined, graceMs = 3000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const force = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(force)
}

/** uid and gid of `nobody` (/etc/passwd), for dropping root. */
export async function nobody(): Promise<{ uid: number; gid: number }> {
  const passwd = await readFile('/etc/passwd', 'utf8')
  const line = passwd.split('\n').find((entry) => entry.startsWith('nobody:'))
  const [, , uid, gid] = line?.split(':') ?? []
  if (uid === undefined || gid === undefined) throw new Error('no user nobody in /etc/passwd')
  return { uid: Number(uid), gid: Number(gid) }
}

/** Gives a throw-away folder, and all it holds, to `ids` alone. */
export async function chownTree(dir: string, ids: { uid: number; gid: number }): Promise<void> {
  await chown(dir, ids.uid, ids.gid)
  await chmod(dir, 0o700)
  for (const entry of await readdir(dir, { recursive: true })) {
    await chown(join(dir, entry), ids.uid, ids.gid)
  }
}
