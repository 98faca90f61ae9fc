import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { prepareTarget } from '../../../harness/runner/prepare.ts'
import { runConfig } from '../../../harness/runner/run-config.ts'
import { tempFolderForFile } from '../../support/for-file.ts'

const folder = await tempFolderForFile('dcrc-prep-')

/** A targets.yaml in a folder of its own (`name`), so each test's messages name `targets.yaml`. */
async function targetsFile(name: string, yaml: string): Promise<string> {
  await mkdir(join(folder, name))
  const file = join(folder, name, 'targets.yaml')
  await writeFile(file, yaml)
  return file
}

describe('prepareTarget', () => {
  it('warns on every run when TLS verification is off, and on literal secrets', async () => {
    const file = await targetsFile(
      'insecure',
      'dev:\n  issuer: https://dev.test\n  tls: { insecure: true }\n  registration: { iat: { strategy: static, token: literal-token } }\n',
    )
    const prepared = await prepareTarget(runConfig({ target: 'dev', targetsFile: file, env: {} }))
    expect(prepared.notices).toEqual([
      expect.stringMatching(
        /targets\.yaml:4:\d+: target 'dev' has a literal secret in 'registration\.iat\.token'/,
      ),
      "TLS certificate verification is DISABLED for target 'dev' (tls.insecure: true); use only for development",
    ])
  })

  it('reads the extra CA now, so a missing file is a config error', async () => {
    const file = await targetsFile(
      'missing-ca',
      'dev:\n  issuer: https://dev.test\n  tls: { ca: ./missing-ca.pem }\n',
    )
    await expect(
      prepareTarget(runConfig({ target: 'dev', targetsFile: file })),
    ).rejects.toMatchObject({
      code: 'E_CONFIG',
      message: expect.stringMatching(/cannot read tls\.ca .*missing-ca\.pem/),
    })
  })

  it('the default is the reference target', async () => {
    expect(await prepareTarget(runConfig({}))).toEqual({
      isReference: true,
      launch: { provider: 'reference' },
      notices: [],
    })
  })
})
