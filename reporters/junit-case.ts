/** Building blocks of JUnit test cases, shared by the scenario and the requirement suites. */
import { escapeXmlText, xmlAttributes } from './xml.ts'

/** How a test case counts in the suite totals. */
export type CaseKind = 'passed' | 'failure' | 'error' | 'skipped'

export interface RenderedCase {
  kind: CaseKind
  xml: string
}

export const seconds = (ms: number) => (Math.max(0, ms) / 1000).toFixed(3)

export const indent = (text: string, prefix: string) =>
  text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n')

/** One child element of a test case, indented; `text` escaped, no text means self-closing. */
export function child(name: string, attributes: Record<string, string>, text?: string): string {
  const open = `      <${name}${xmlAttributes(attributes)}`
  return text === undefined ? `${open}/>\n` : `${open}>${escapeXmlText(text)}</${name}>\n`
}

/** A `<testcase>` with the given attributes and (already rendered) children. */
export function testcase(
  attributes: Record<string, string>,
  kind: CaseKind,
  inner = '',
): RenderedCase {
  const open = `    <testcase${xmlAttributes(attributes)}`
  return { kind, xml: inner ? `${open}>\n${inner}    </testcase>\n` : `${open}/>\n` }
}

/** The totals of a list of cases, as `<testsuite>` attributes. */
export function totals(cases: readonly RenderedCase[]) {
  const count = (kind: CaseKind) => cases.filter((rendered) => rendered.kind === kind).length
  return {
    tests: cases.length,
    failures: count('failure'),
    errors: count('error'),
    skipped: count('skipped'),
  }
}
