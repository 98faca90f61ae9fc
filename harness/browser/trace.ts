/**
 * Playwright traces (`--trace`) without the browser's secrets. A trace zip holds the network
 * (headers with the login cookies, a login POST's body with the password), DOM snapshots and
 * the actions' parameters (a fill's value): everything the browser handled. Playwright cannot
 * leave the network out, so once the authorization has ended the zip is rewritten with every
 * credential the browser handled masked: the password, the cookies (the interaction handles
 * they carry, docs/redaction.md), and credential parameters such as the code. Screencast frames
 * are not recorded: pixels cannot be redacted, and the DOM snapshots show the same pages.
 */
import { readFile, writeFile } from 'node:fs/promises'
import type { BrowserContext } from 'playwright-core'
import { unzipSync, zipSync, type Zippable } from 'fflate'
import type { Artifact, Exchange } from '../model/result.ts'
import { isCredentialName, REDACTED } from '../redact.ts'
import { MIN_LEARNED_LENGTH } from '../redact-learned.ts'
import { artifactPath } from './artifacts.ts'
import { secretForms } from './scrub.ts'

/** Start recording the context's trace: DOM snapshots, no screencast (see the file comment). */
export async function startTrace(context: BrowserContext): Promise<void> {
  await context.tracing.start({ screenshots: false, snapshots: true })
}

/** Stop recording into a zip in `dir` with `secrets` masked; undefined when Playwright failed. */
export async function stopTrace(
  context: BrowserContext,
  dir: string,
  secrets: readonly string[],
): Promise<Artifact | undefined> {
  const path = await artifactPath(dir, 'playwright-trace', 'zip')
  try {
    await context.tracing.stop({ path })
    await scrubTraceZip(path, secrets)
  } catch {
    return undefined
  }
  return { name: 'playwright-trace.zip', path, contentType: 'application/zip' }
}

/** Values of a `name=value; ...` cookie header, or of each `set-cookie` line. */
function cookieValues(header: string | undefined, setCookie: boolean): string[] {
  if (!header) return []
  const pairs = setCookie ? header.split('\n').map((line) => line.split(';')[0] ?? '') : header.split(';')
  return pairs.map((pair) => pair.slice(pair.indexOf('=') + 1).trim())
}

/** Values of credential-named parameters in a URL's query and in a form body. */
function credentialParameters(url: string, body: string | undefined): string[] {
  const values: string[] = []
  const add = (params: URLSearchParams): void => {
    for (const [name, value] of params) if (isCredentialName(name)) values.push(value)
  }
  try {
    const parsed = new URL(url)
    add(parsed.searchParams)
    add(new URLSearchParams(parsed.hash.slice(1)))
  } catch {
    // not a URL: nothing in it
  }
  if (body && !body.trimStart().startsWith('{')) add(new URLSearchParams(body))
  return values
}

/**
 * What the browser handled as a credential: the login password, every cookie value, and the
 * credential parameters of every hop and of the outcome (`query`: the code, tokens). Values
 * shorter than MIN_LEARNED_LENGTH are not secrets the redactor learns either (redact-learned.ts);
 * the password always counts.
 */
export function browserSecrets(
  exchanges: readonly Exchange[],
  query: Record<string, string>,
  password: string | undefined,
): string[] {
  const values = new Set<string>()
  for (const { request, response } of exchanges) {
    for (const value of cookieValues(request.headers['cookie'], false)) values.add(value)
    for (const value of cookieValues(response?.headers['set-cookie'], true)) values.add(value)
    for (const value of credentialParameters(request.url, request.body)) values.add(value)
  }
  for (const [name, value] of Object.entries(query)) if (isCredentialName(name)) values.add(value)
  const secrets = [...values].filter((value) => value.length >= MIN_LEARNED_LENGTH)
  return password ? [password, ...secrets] : secrets
}

/** Every occurrence of every form in `bytes` overwritten with `*` (same length: any format). */
function maskBytes(bytes: Uint8Array, forms: readonly Buffer[]): Uint8Array {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  for (const form of forms) {
    for (let at = buffer.indexOf(form); at >= 0; at = buffer.indexOf(form, at + form.length)) {
      buffer.fill(0x2a, at, at + form.length)
    }
  }
  return bytes
}

/** The entries of a trace that are JSON lines (the rest are recorded bodies and stacks). */
const JSON_LINES = /\.(trace|network)$/

/**
 * A JSON-lines trace file (`trace.trace`, `trace.network`) with `map` applied to every string
 * of the lines `touches` selects, so that each line stays valid JSON; a line that does not parse
 * (or nests too deep to revive) gets `fallback` as a whole.
 */
function mapJsonLines(
  text: string,
  touches: (line: string) => boolean,
  map: (value: string) => string,
  fallback: (line: string) => string,
): string {
  const revive = (_key: string, value: unknown): unknown => (typeof value === 'string' ? map(value) : value)
  return text
    .split('\n')
    .map((line) => {
      if (!touches(line)) return line
      try {
        return JSON.stringify(JSON.parse(line, revive))
      } catch {
        return fallback(line)
      }
    })
    .join('\n')
}

/** The zip's entries with every form of every secret masked (see the file comment). */
export function maskTraceEntries(
  entries: Record<string, Uint8Array>,
  secrets: readonly string[],
): Record<string, Uint8Array> {
  const forms = [...new Set(secrets.flatMap(secretForms))].sort((a, b) => b.length - a.length)
  const bytes = forms.map((form) => Buffer.from(form, 'utf8'))
  const touches = (line: string): boolean => forms.some((form) => line.includes(form))
  const mask = (value: string): string => {
    let result = value
    for (const form of forms) if (result.includes(form)) result = result.split(form).join(REDACTED)
    return result
  }
  const maskLine = (line: string): string => Buffer.from(maskBytes(Buffer.from(line), bytes)).toString('utf8')
  const masked: Record<string, Uint8Array> = {}
  for (const [name, data] of Object.entries(entries)) {
    masked[name] = JSON_LINES.test(name)
      ? Buffer.from(mapJsonLines(Buffer.from(data).toString('utf8'), touches, mask, maskLine), 'utf8')
      : maskBytes(data, bytes)
  }
  return masked
}

/** Rewrite the trace zip at `path` with `secrets` masked. */
export async function scrubTraceZip(path: string, secrets: readonly string[]): Promise<void> {
  if (secrets.length === 0) return
  const entries = unzipSync(new Uint8Array(await readFile(path)))
  const masked: Zippable = maskTraceEntries(entries, secrets)
  await writeFile(path, zipSync(masked, { level: 6 }))
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Rewrite the trace zip at `path` with `redact` applied to its text: the strings of its JSON
 * lines and every recorded body that is UTF-8 text; binary bodies stay as they are. For the
 * run's redactor, once the scenario's secrets are learned (harness/runner/redact-artifacts.ts):
 * a page may show a secret the browser itself never handled.
 */
export async function redactTraceZip(path: string, redact: (text: string) => string): Promise<void> {
  const entries = unzipSync(new Uint8Array(await readFile(path)))
  let changed = false
  for (const [name, data] of Object.entries(entries)) {
    let text: string
    try {
      text = strictUtf8.decode(data)
    } catch {
      continue // binary: an image or a font
    }
    const clean = JSON_LINES.test(name) ? mapJsonLines(text, () => true, redact, redact) : redact(text)
    if (clean === text) continue
    entries[name] = Buffer.from(clean, 'utf8')
    changed = true
  }
  if (changed) await writeFile(path, zipSync(entries, { level: 6 }))
}
