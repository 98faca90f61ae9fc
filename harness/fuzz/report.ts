/** The fuzz report as console text; JSON is the FuzzReport itself. */
import type { FuzzReport } from './fuzz.ts'
import type { Finding } from './finding.ts'

export function formatReport(report: FuzzReport): string {
  const lines: string[] = []
  const seconds = (report.durationMs / 1000).toFixed(1)
  lines.push(
    `fuzz: ${report.target.name} (${report.target.issuer}), seed ${report.seed}: ` +
      `${report.runs} of ${report.budget.runs} runs, ${report.shrinks} shrinking steps, ` +
      `${seconds} s`,
  )
  for (const notice of report.notices) lines.push(`notice: ${notice}`)
  // What a replay needs besides the target: the faults the reference server ran with.
  const faults = (report.faults ?? []).map((fault) => ` --fault ${fault}`).join('')
  report.findings.forEach((finding, index) =>
    lines.push('', ...formatFinding(finding, index + 1, `${report.target.name}${faults}`)),
  )
  lines.push('', summaryLine(report))
  const kinds = Object.entries(report.answers)
    .map(([kind, count]) => `${kind} ${count.created}/${count.refused}/${count.sent}`)
    .join(', ')
  if (kinds) lines.push(`answers (created/refused/sent): ${kinds}`)
  const left = report.clients.leftovers
  const deleted = report.clients.registered - left.length
  lines.push(
    `clients: ${report.clients.registered} registered, ${deleted} deleted` +
      (left.length ? `, ${left.length} left over:` : ''),
  )
  for (const leftover of left) lines.push(`  ${leftover.client_id}: ${leftover.reason}`)
  const { target, seed, budget } = report
  lines.push(
    `replay: dcr-conformance fuzz --target ${target.name}${faults} --seed ${seed} ` +
      `--runs ${budget.runs}`,
  )
  return `${lines.join('\n')}\n`
}

function formatFinding(finding: Finding, number: number, target: string): string[] {
  const { observed, scenario } = finding
  const status = observed.status !== undefined ? `${observed.status}` : 'no answer'
  return [
    `finding ${number} [${finding.level}] ${finding.requirement}: ${finding.check}`,
    `  ${finding.message}`,
    `  case: ${finding.kind}, first failed at run ${finding.foundAtRun}, ` +
      `shrunk ${finding.shrinks} times`,
    `  answer: ${status}${observed.body ? ` ${oneLine(observed.body)}` : ''}`,
    `  reproduce: save as ${scenario.file}, then: ` +
      `dcr-conformance --target ${target} --suite ${scenario.file}`,
    '  --- 8< ---',
    ...finding.scenario.yaml.trimEnd().split('\n').map((line) => `  ${line}`),
    '  --- >8 ---',
  ]
}

function summaryLine(report: FuzzReport): string {
  const must = report.findings.filter((finding) => finding.level === 'must').length
  const should = report.findings.length - must
  const found =
    report.findings.length === 0
      ? 'no findings'
      : `${report.findings.length} finding${report.findings.length === 1 ? '' : 's'} ` +
        `(${must} must, ${should} should)`
  const why: Record<FuzzReport['stoppedBy'], string> = {
    runs: 'the runs were spent',
    time: 'the time budget was spent',
    interrupt: 'interrupted',
    setup: `a case could not be judged: ${report.problem ?? 'set-up problem'}`,
    findings: 'the finding limit was reached',
  }
  return `${report.status}: ${found}; stopped because ${why[report.stoppedBy]}`
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ')
  return flat.length > 300 ? `${flat.slice(0, 300)}...` : flat
}
