/**
 * `dcr-conformance list`: the planned scenarios, as a table or JSON, with applicability when a
 * target is given. Sends nothing to a target (the reference target is started locally to read its
 * capabilities).
 */
import { UsageError } from '../errors.ts'
import type { CliIo } from '../cli.ts'
import { LIST_USAGE } from '../config/usage.ts'
import { builtinTarget } from '../config/builtin-target.ts'
import { notApplicableReason, type ApplicabilityTarget } from './plan.ts'
import { prepareSuite, prepareTarget } from './prepare.ts'
import type { LoadedScenario } from '../scenario/load.ts'
import type { TargetConfig } from '../types.ts'

export interface ListedScenario {
  id: string
  title: string
  file: string
  requirements: string[]
  tags: string[]
  requires: string[]
  /** Present when a target was given. */
  applies?: boolean
  reason?: string
}

export async function listCommand(argv: string[], io: CliIo): Promise<number> {
  const { parseStrict } = await import('../cli.ts')
  const { values } = parseStrict(
    argv,
    {
      target: { type: 'string' },
      targets: { type: 'string' },
      suite: { type: 'string', multiple: true },
      grep: { type: 'string' },
      tag: { type: 'string', multiple: true },
      shard: { type: 'string' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    'list',
  )
  const stdout = io.stdout ?? process.stdout
  if (values.help) {
    stdout.write(`${LIST_USAGE}\n`)
    return 0
  }
  const format = values.format ?? 'text'
  if (format !== 'text' && format !== 'json')
    throw new UsageError(`--format must be text or json (got '${format}')`)
  const cwd = io.cwd ?? process.cwd()
  const { planned } = await prepareSuite({
    ...(values.suite ? { suite: values.suite } : {}),
    ...(values.grep !== undefined ? { grep: values.grep } : {}),
    ...(values.tag ? { tags: values.tag } : {}),
    ...(values.shard !== undefined ? { shard: values.shard } : {}),
    cwd,
  })
  const target =
    values.target !== undefined
      ? await targetCapabilities(values.target, values.targets, io)
      : undefined
  const listed = planned.map((scenario) => describe(scenario, target))
  stdout.write(
    format === 'json' ? `${JSON.stringify(listed, null, 2)}\n` : renderTable(listed, target?.name),
  )
  return 0
}

async function targetCapabilities(
  target: string,
  targetsFile: string | undefined,
  io: CliIo,
): Promise<ApplicabilityTarget> {
  const prepared = await prepareTarget({
    target,
    ...(targetsFile ? { targetsFile } : {}),
    ...(io.cwd ? { cwd: io.cwd } : {}),
    ...(io.env ? { env: io.env } : {}),
  })
  if (prepared.config) return applicabilityOf(prepared.config)
  const reference = await builtinTarget().start({})
  try {
    return applicabilityOf({ ...reference.target, name: 'reference' })
  } finally {
    await reference.close()
  }
}

function applicabilityOf(config: TargetConfig): ApplicabilityTarget {
  return {
    name: config.name,
    capabilities: config.capabilities ?? [],
    ...(config.registration ? { registration: config.registration } : {}),
  }
}

function describe(
  scenario: LoadedScenario,
  target?: ApplicabilityTarget,
): ListedScenario {
  const doc = scenario.doc
  const listed: ListedScenario = {
    id: doc.id,
    title: doc.title,
    file: scenario.relativeFile,
    requirements: doc.requirements,
    tags: doc.tags ?? [],
    requires: doc.requires ?? [],
  }
  if (target) {
    const reason = notApplicableReason(scenario, target)
    listed.applies = reason === undefined
    if (reason) listed.reason = reason
  }
  return listed
}

function renderTable(listed: ListedScenario[], targetName?: string): string {
  const rows = listed.map((s) => [
    s.id,
    s.title,
    s.requirements.join(' '),
    ...(targetName ? [s.applies ? 'runs' : `skipped: ${s.reason ?? ''}`] : []),
  ])
  const header = ['ID', 'TITLE', 'REQUIREMENTS', ...(targetName ? [`ON ${targetName}`] : [])]
  // Ids are never cut (users copy them); titles and requirement lists are.
  const caps = [Infinity, 60, 48, Infinity]
  const widths = header.map((title, column) =>
    Math.min(caps[column]!, Math.max(title.length, ...rows.map((row) => row[column]!.length))),
  )
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : fit(cell, widths[column]!)))
      .join('  ')
      .trimEnd()
  const applies = listed.filter((s) => s.applies).length
  const summary = targetName
    ? `${listed.length} scenarios, ${applies} apply to ${targetName}, ${listed.length - applies} skipped`
    : `${listed.length} scenarios`
  return [line(header), ...rows.map(line), summary].join('\n') + '\n'
}

function fit(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width)
}
