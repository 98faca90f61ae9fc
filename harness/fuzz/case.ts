/**
 * One fuzz case: the registration request the fuzzer sends and what the oracle (oracle.ts) needs
 * to judge the answer. Generators (generators/) build cases; fast-check shrinks them.
 */

/** What a case is about: conformant metadata, or the kind of member that makes it special. */
export type CaseKind =
  | 'valid'
  | 'wrong-type'
  | 'bad-uri'
  | 'fragment'
  | 'unknown-enum'
  | 'inconsistent-types'
  | 'bad-keys'
  | 'oversized'
  | 'unicode'
  | 'duplicate-keys'

/**
 * An invalid member value a server must not register: it may refuse the request (400), or
 * accept it without that value (RFC 7591 §2: it may ignore or replace a value).
 */
export interface InvalidMember {
  member: string
  /** A matcher (harness/checks/matchers.ts) the member of an accepting response must meet. */
  notRegistered: unknown
  /** Why it is invalid, in a few words (`a fragment`, `a key without kty`). */
  why: string
  requirement: string
  level: 'must' | 'should'
}

export interface FuzzCase {
  kind: CaseKind
  /** The metadata sent as JSON (for `rawBody` cases: what the raw body spells). */
  metadata: Record<string, unknown>
  /** Sent instead of the JSON of `metadata` (duplicate member names need a raw body). */
  rawBody?: string
  /**
   * Members whose value a server returns unchanged when it returns them (RFC 7591 §3.2.1):
   * descriptive and identifying members, which no policy gives a reason to replace.
   */
  echoed: string[]
  invalid?: InvalidMember
  /** A member sent twice: the echo, when there is one, is one of the values sent. */
  duplicate?: { member: string; values: unknown[] }
  /** A request so large that 413 Content Too Large is a fair answer (RFC 9110 §15.5.14). */
  large?: boolean
}
