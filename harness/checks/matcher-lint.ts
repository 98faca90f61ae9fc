/**
 * Lint of `$`-matchers before a run: the same vocabulary `matchValue` applies, checked without an
 * actual value so that a broken expectation is a file error rather than a failed check.
 */
import { childPointer, showValue } from './format.ts'
import { isMatcherObject, isPlainObject, MATCHER_NAMES, TYPE_NAMES } from './matchers.ts'

/** A problem in an expectation itself, found before a run. `pointer` is into the expectation. */
export interface MatcherProblem {
  pointer: string
  message: string
}

function isTemplate(value: unknown): value is string {
  return typeof value === 'string' && value.includes('${{')
}

/** A `${{ ... }}` expression of a template string. */
const EXPRESSION = /\$\{\{[^}]*\}\}/g

function patternProblems(
  source: string,
  problem: (message: string) => MatcherProblem[],
): MatcherProblem[] {
  try {
    new RegExp(source)
    return []
  } catch (error) {
    return problem(`$match: ${(error as Error).message}`)
  }
}

/**
 * Check an expectation's `$`-matchers without an actual value: unknown matchers, matchers mixed
 * with plain members, arguments of the wrong shape, invalid regular expressions. Template strings
 * are accepted wherever a value is (their type is known only at run time).
 */
export function validateMatchers(expected: unknown, pointer = ''): MatcherProblem[] {
  if (Array.isArray(expected)) {
    return expected.flatMap((item, index) => validateMatchers(item, childPointer(pointer, index)))
  }
  if (!isPlainObject(expected)) return []
  const keys = Object.keys(expected)
  if (!keys.some((key) => key.startsWith('$'))) {
    return keys.flatMap((key) => validateMatchers(expected[key], childPointer(pointer, key)))
  }
  const plain = keys.filter((key) => !key.startsWith('$'))
  if (plain.length > 0) {
    return [
      {
        pointer,
        message: `matcher object mixes $-matchers with plain members (${plain.join(', ')}); use $allOf or nest the members`,
      },
    ]
  }
  return keys.flatMap((key) => validateOne(key, expected[key], childPointer(pointer, key)))
}

function validateOne(key: string, argument: unknown, pointer: string): MatcherProblem[] {
  const problem = (message: string): MatcherProblem[] => [{ pointer, message }]
  // In a pattern a template's value is literal text (scenario/template.ts): the rest is checked.
  if (key === '$match' && isTemplate(argument)) {
    return patternProblems(argument.replace(EXPRESSION, 'x'), problem)
  }
  if (isTemplate(argument)) return []
  switch (key) {
    case '$type': {
      const list = Array.isArray(argument) ? argument : [argument]
      const bad = list.filter((type) => typeof type !== 'string' || !TYPE_NAMES.includes(type))
      return bad.length === 0 && list.length > 0
        ? []
        : problem(`$type ${showValue(argument)} is not one of ${TYPE_NAMES.join(', ')}`)
    }
    case '$match':
      if (typeof argument !== 'string') return problem('$match needs a regular expression string')
      return patternProblems(argument, problem)
    case '$in':
      return Array.isArray(argument) ? [] : problem('$in needs a list')
    case '$tokensIn':
      return typeof argument === 'string' ? [] : problem('$tokensIn needs a space-delimited string')
    case '$absent':
    case '$present':
    case '$refusal':
      return argument === true ? [] : problem(`${key} takes only true`)
    case '$eq':
      return []
    case '$gte':
    case '$lte':
    case '$gt':
    case '$lt':
      return typeof argument === 'number' ? [] : problem(`${key} needs a number`)
    case '$length':
      return typeof argument === 'number' && Number.isInteger(argument) && argument >= 0
        ? []
        : isMatcherObject(argument)
          ? validateMatchers(argument, pointer)
          : problem('$length needs a non-negative integer or a matcher')
    case '$contains':
    case '$not':
    case '$each':
      return validateMatchers(argument, pointer)
    case '$count': {
      if (!isPlainObject(argument) || !('of' in argument) || !('is' in argument)) {
        return problem('$count needs { of: MATCHER, is: NUMBER or MATCHER }')
      }
      const extra = Object.keys(argument).filter((name) => name !== 'of' && name !== 'is')
      if (extra.length > 0) return problem(`$count has unknown member ${extra.join(', ')}`)
      return [
        ...validateMatchers(argument.of, childPointer(pointer, 'of')),
        ...(typeof argument.is === 'number' || isTemplate(argument.is)
          ? []
          : isMatcherObject(argument.is)
            ? validateMatchers(argument.is, childPointer(pointer, 'is'))
            : [
                {
                  pointer: childPointer(pointer, 'is'),
                  message: '$count.is needs a number or a matcher',
                },
              ]),
      ]
    }
    case '$anyOf':
    case '$allOf':
      return Array.isArray(argument) && argument.length > 0
        ? argument.flatMap((item, index) => validateMatchers(item, childPointer(pointer, index)))
        : problem(`${key} needs a non-empty list`)
    default:
      return problem(`unknown matcher ${key} (known: ${MATCHER_NAMES.join(', ')})`)
  }
}
