/**
 * The project's import graph as dependency-cruiser sees it (rules in .dependency-cruiser.json),
 * and the same graph collapsed to folders: each folder of harness/ is one node, each file directly
 * in harness/ is a node of its own, and every other top-level folder is one node
 * (docs/architecture.md, "Dependency rules"). Type-only imports count as imports.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { cruise, type ICruiseResult, type IFlattenedRuleSet } from 'dependency-cruiser'

const REPO = join(import.meta.dirname, '..', '..', '..')

/** The code the package ships, the roots the rules are checked from. */
export const SHIPPED_ROOTS = ['harness', 'reporters', 'builtin', 'reference-server', 'bin', 'index.ts']

interface DepcruiseConfig {
  forbidden: IFlattenedRuleSet['forbidden']
  options: { doNotFollow?: unknown; exclude?: unknown; tsPreCompilationDeps?: boolean }
}

export interface Violation {
  rule: string
  from: string
  to: string
}

export interface Graph {
  violations: Violation[]
  /** Resolved local imports: file -> files it imports (node_modules and node: builtins left out). */
  edges: Map<string, Set<string>>
}

/** Cruises `roots` under `baseDir` with the project's rules (the repo's own config file). */
export async function cruiseGraph(roots: string[], baseDir = REPO): Promise<Graph> {
  const config = JSON.parse(
    await readFile(join(REPO, '.dependency-cruiser.json'), 'utf8'),
  ) as DepcruiseConfig
  const { doNotFollow, exclude, tsPreCompilationDeps } = config.options
  const result = await cruise(roots, {
    baseDir,
    validate: true,
    ruleSet: { forbidden: config.forbidden },
    doNotFollow,
    exclude,
    tsPreCompilationDeps,
  } as Parameters<typeof cruise>[1])
  const output = result.output as ICruiseResult
  const edges = new Map<string, Set<string>>()
  for (const module of output.modules) {
    const targets = new Set<string>()
    for (const dependency of module.dependencies) {
      if (dependency.coreModule || dependency.couldNotResolve) continue
      if (dependency.resolved.includes('node_modules/')) continue
      targets.add(dependency.resolved)
    }
    edges.set(module.source, targets)
  }
  const violations = output.summary.violations.map((violation) => ({
    rule: violation.rule.name,
    from: violation.from,
    to: violation.to,
  }))
  return { violations, edges }
}

/** The folder node of a file (see the header). */
export function folderNode(file: string): string {
  const parts = file.split('/')
  if (parts.length === 1) return file
  if (parts[0] === 'harness') return parts.length === 2 ? file : `harness/${parts[1]}`
  return parts[0]!
}

/**
 * Cycles between folder nodes: each strongly connected set of more than one node, sorted, with
 * one file-level import per folder edge inside it so a failure says where to look.
 */
export function folderCycles(edges: Map<string, Set<string>>): { nodes: string[]; imports: string[] }[] {
  const folders = new Map<string, Map<string, string>>()
  for (const [from, targets] of edges) {
    for (const to of targets) {
      const a = folderNode(from)
      const b = folderNode(to)
      if (a === b) continue
      if (!folders.has(a)) folders.set(a, new Map())
      if (!folders.get(a)!.has(b)) folders.get(a)!.set(b, `${from} -> ${to}`)
    }
  }
  return stronglyConnected(folders).map((nodes) => ({
    nodes: [...nodes].sort(),
    imports: nodes.flatMap((a) =>
      nodes.flatMap((b) => (folders.get(a)?.has(b) ? [folders.get(a)!.get(b)!] : [])),
    ),
  }))
}

/** Tarjan's algorithm; only components with more than one node (a node never imports itself). */
function stronglyConnected(graph: Map<string, Map<string, string>>): string[][] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const components: string[][] = []
  const visit = (node: string): void => {
    index.set(node, index.size)
    low.set(node, index.get(node)!)
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next)
        low.set(node, Math.min(low.get(node)!, low.get(next)!))
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!))
      }
    }
    if (low.get(node) !== index.get(node)) return
    const component: string[] = []
    let member: string
    do {
      member = stack.pop()!
      onStack.delete(member)
      component.push(member)
    } while (member !== node)
    if (component.length > 1) components.push(component)
  }
  for (const node of graph.keys()) if (!index.has(node)) visit(node)
  return components
}
