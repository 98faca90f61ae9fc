import { describe, expect, it } from 'vitest'
import { Writable } from 'node:stream'
import {
  choiceOption,
  integerOption,
  optionalInteger,
  parseCommand,
} from '../../../harness/config/args.ts'

const OPTIONS = {
  workers: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  tag: { type: 'string', multiple: true },
} as const

/** The parse of a command with no `--help` given: never undefined. */
function parse(argv: string[], command: string) {
  const parsed = parseCommand(argv, OPTIONS, { command, usage: `Usage: ${command}` })
  if (!parsed) throw new Error('no --help was given')
  return parsed
}

describe('parseCommand', () => {
  it('parses the options a command declares', () => {
    const argv = ['--workers', '3', '-q', '--tag', 'a', '--tag=b']
    const { values } = parse(argv, 'run')
    expect(values).toEqual({ workers: '3', quiet: true, tag: ['a', 'b'] })
  })

  it('names the command and the closest option for a mistyped one', () => {
    expect(() => parse(['--worker', '3'], 'run')).toThrow(
      expect.objectContaining({
        code: 'E_USAGE',
        message: expect.stringMatching(
          /^run: Unknown option '--worker'.*\(did you mean "--workers"\?\) \(see dcr-conformance run --help\)$/,
        ),
      }),
    )
  })

  it('says how to pass a value that starts with a dash', () => {
    expect(() => parse(['--workers', '-1'], 'run')).toThrow(
      expect.objectContaining({
        code: 'E_USAGE',
        message: expect.stringMatching(
          /^run: Option '--workers' argument is ambiguous\. .* use '--workers=-XYZ'\. \(see /,
        ),
      }),
    )
  })

  it('gives no suggestion when nothing is close, and refuses operands', () => {
    expect(() => parse(['--zzzzzzzz'], 'list')).toThrow(
      expect.objectContaining({ message: expect.not.stringMatching(/did you mean/) }),
    )
    expect(() => parse(['extra'], 'list')).toThrow(
      expect.objectContaining({ code: 'E_USAGE', message: expect.stringMatching(/^list: /) }),
    )
  })

  it('keeps the operands of a command that takes them', () => {
    const argv = ['a.json', '-q', 'b.json']
    const help = { command: 'merge', usage: 'Usage: merge', operands: true }
    const parsed = parseCommand(argv, OPTIONS, help)
    expect(parsed?.positionals).toEqual(['a.json', 'b.json'])
    expect(parsed?.values.quiet).toBe(true)
  })
})

/** A stdout that keeps what the command wrote. */
function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk))
      done()
    },
  })
  return { stream, text: () => chunks.join('') }
}

describe('parseCommand --help', () => {
  it('prints the usage for -h/--help and returns nothing to run', () => {
    for (const argv of [['--help'], ['-q', '-h']]) {
      const out = capture()
      const help = { command: 'list', usage: 'Usage: list', stdout: out.stream }
      expect(parseCommand(argv, OPTIONS, help)).toBeUndefined()
      expect(out.text()).toBe('Usage: list\n')
    }
  })

  it('writes nothing without --help', () => {
    const out = capture()
    const help = { command: 'merge', usage: 'Usage: merge', stdout: out.stream, operands: true }
    expect(parseCommand(['a.json', '--workers', '2'], OPTIONS, help)?.values).toEqual({
      workers: '2',
    })
    expect(out.text()).toBe('')
  })
})

describe('choiceOption', () => {
  it('takes a listed value, the fallback when absent, and refuses the rest', () => {
    expect(choiceOption('--format', 'json', ['text', 'json'], 'text')).toBe('json')
    expect(choiceOption('--format', undefined, ['text', 'json'], 'text')).toBe('text')
    expect(() => choiceOption('--format', 'xml', ['md', 'html', 'json'], 'md')).toThrow(
      expect.objectContaining({
        code: 'E_USAGE',
        message: "--format must be md, html or json (got 'xml')",
      }),
    )
  })
})

describe('integerOption', () => {
  it('accepts integers in range and refuses the rest with the option name', () => {
    expect(integerOption('--seed', '0', 0, 10)).toBe(0)
    expect(optionalInteger('--seed', undefined, 0)).toBeUndefined()
    for (const text of ['-1', '11', '1.5', 'x', '']) {
      expect(() => integerOption('--seed', text, 0, 10)).toThrow(
        expect.objectContaining({ code: 'E_USAGE', message: expect.stringMatching(/^--seed /) }),
      )
    }
  })
})
