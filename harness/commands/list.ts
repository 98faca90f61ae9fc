/**
 * `dcr-conformance list`: the planned scenarios, as a table or JSON, with applicability when a
 * target is given. Sends nothing to a target (a target its provider starts, such as the reference
 * target, is started to read its capabilities, then stopped).
 */
import { choiceOption, parseCommand } from '../config/args.ts'
import { runConfig, type RunConfig } from '../runner/run-config.ts'
import { SELECTION_FLAGS, selectionRequest } from '../runner/run-flags.ts'
import type { CliIo } from './cli-io.ts'
import { LIST_USAGE } from '../config/usage.ts'
import { startTarget } from '../providers/registry.ts'
import { notApplicableReason, type ApplicabilityTarget } from '../runner/plan.ts'
import { prepareSuite, prepareTarget } from '../runner/prepare.ts'
import type { LoadedScenario } from '../scenario/load.ts'
import type { TargetConfig } from '../model/target.ts'

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
  const stdout = io.stdout ?? process.stdout
  const parsed = parseCommand(
    argv,
    { ...SELECTION_FLAGS, format: { type: 'string' } },
    { command: 'list', usage: LIST_USAGE, stdout },
  )
  if (!parsed) return 0
  const { values } = parsed
  const format = choiceOption('--format', values.format, ['text', 'json'], 'text')
  const config = runConfig(selectionRequest(values, io))
  const { planned } = await prepareSuite(config)
  const target = values.target !== undefined ? await targetCapabilities(config) : undefined
  const listed = planned.map((scenario) => describe(scenario, target))
  stdout.write(
    format === 'json' ? `${JSON.stringify(listed, null, 2)}\n` : renderTable(listed, target?.name),
  )
  return 0
}

async function targetCapabilities(config: RunConfig): Promise<ApplicabilityTarget> {
  const prepared = await prepareTarget(config)
  if (prepared.config) return applicabilityOf(prepared.config)
  const started = await startTarget(prepared.launch!)
  try {
    return applicabilityOf(started.target)
  } finally {
    await started.close()
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
