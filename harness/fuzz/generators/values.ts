/**
 * Building blocks of the generators: hosts, https URIs, text, contacts. Every string avoids
 * `${{` (scenario templating, suites/README.md) so a case runs, and reproduces, as a scenario.
 */
import fc from 'fast-check'

/** The host of every generated redirect and descriptive URI: never contacted (RFC 6761 .test). */
export const CLIENT_HOST = 'rp.harness.test'

/** No template expression (suites/README.md, Templating). */
export function templateFree(text: string): boolean {
  return !text.includes('${{')
}

const segment = fc.stringMatching(/^[a-z0-9]{1,8}$/)

/** `https://rp.harness.test/...`: absolute, no fragment, shrinks to `https://rp.harness.test/`. */
export const httpsUri: fc.Arbitrary<string> = fc
  .array(segment, { maxLength: 3 })
  .map((parts) => `https://${CLIENT_HOST}/${parts.join('/')}`)

/** One to three distinct redirect URIs. */
export const redirectUris: fc.Arbitrary<string[]> = fc.uniqueArray(httpsUri, {
  minLength: 1,
  maxLength: 3,
})

/** Printable ASCII text without leading or trailing spaces (servers may trim). */
export const asciiText: fc.Arbitrary<string> = fc
  .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 24 })
  .map((text) => text.trim())
  .filter((text) => text.length > 0 && templateFree(text))

/**
 * One non-ASCII character, already in NFC (servers may normalise, which is no change then) and
 * never a control or space character (servers may strip those); shrinks to `¡`.
 */
export const nonAsciiChar: fc.Arbitrary<string> = fc
  .oneof(
    fc.integer({ min: 0xa1, max: 0x24f }),
    fc.integer({ min: 0x391, max: 0x3c9 }),
    fc.integer({ min: 0x4e00, max: 0x4fff }),
    fc.integer({ min: 0x1f600, max: 0x1f64f }),
  )
  .map((code) => String.fromCodePoint(code))
  .filter((char) => char === char.normalize('NFC') && /\P{C}/u.test(char) && char !== '\u00ad')

/** Text with at least one non-ASCII character. */
export const unicodeText: fc.Arbitrary<string> = fc
  .tuple(fc.stringMatching(/^[a-z]{0,6}$/), nonAsciiChar, fc.stringMatching(/^[a-z ]{0,6}$/))
  .map(([head, char, tail]) => `${head}${char}${tail}`.trim())

const localPart = fc.stringMatching(/^[a-z][a-z0-9.]{0,10}$/)

/** An ASCII e-mail address on the client's host. */
export const email: fc.Arbitrary<string> = localPart.map((local) => `${local}@${CLIENT_HOST}`)

/** An e-mail address with non-ASCII characters in its local part (RFC 6531 allows them). */
export const unicodeEmail: fc.Arbitrary<string> = fc
  .tuple(fc.stringMatching(/^[a-z]{0,4}$/), nonAsciiChar)
  .map(([local, char]) => `${local}${char}@${CLIENT_HOST}`)

/** A word that is no value of any enumeration this harness knows. */
export function unknownWord(known: readonly string[]): fc.Arbitrary<string> {
  return fc
    .stringMatching(/^[a-z][a-z_]{2,11}$/)
    .map((word) => `x_${word}`)
    .filter((word) => !known.includes(word))
}
