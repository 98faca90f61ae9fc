/** targets.yaml `mcp_server` (harness/config/mcp-target.ts, targets.schema.json). */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { withMcpData, needsMcpIssuer } from '../../../harness/config/mcp-target.ts'
import { loadTargets } from '../../../harness/config/targets.ts'

let folder: string | undefined
afterEach(async () => {
  if (folder) await rm(folder, { recursive: true, force: true })
  folder = undefined
})

async function targetsFile(text: string): Promise<string> {
  folder = await mkdtemp(join(tmpdir(), 'dcr-mcp-target-'))
  const file = join(folder, 'targets.yaml')
  await writeFile(file, text)
  return file
}

describe('mcp_server in targets.yaml', () => {
  it('accepts a target given only by its MCP server: the issuer is to be discovered', async () => {
    const loaded = await loadTargets(await targetsFile('m:\n  mcp_server: https://r.test/mcp\n'))
    const target = loaded.targets.get('m')!
    expect(target.issuer).toBe('')
    expect(needsMcpIssuer(target)).toBe(true)
    expect(withMcpData(target).data).toEqual({ mcp_server: 'https://r.test/mcp' })
  })

  it('keeps a given issuer and a data.mcp_server of the file', async () => {
    const loaded = await loadTargets(
      await targetsFile(
        'm:\n  issuer: https://as.test\n  mcp_server: https://r.test/mcp\n  data: { mcp_server: https://r.test/other }\n',
      ),
    )
    const target = loaded.targets.get('m')!
    expect(needsMcpIssuer(target)).toBe(false)
    expect(withMcpData(target).data).toEqual({ mcp_server: 'https://r.test/other' })
  })

  it('refuses a target with neither issuer nor mcp_server, naming both', async () => {
    const file = await targetsFile('m:\n  capabilities: [mcp]\n')
    await expect(loadTargets(file)).rejects.toThrow(/'issuer'[\s\S]*'mcp_server'/)
  })
})
