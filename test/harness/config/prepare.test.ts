import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { prepareTarget } from '../../../harness/runner/prepare.ts'

describe('prepareTarget', () => {
  it('warns on every run when TLS verification is off, and on literal secrets', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcrc-prep-'))
    await writeFile(
      join(dir, 'targets.yaml'),
      'dev:\n  issuer: https://dev.test\n  tls: { insecure: true }\n  registration: { iat: { strategy: static, token: literal-token } }\n',
    )
    const prepared = await prepareTarget({
      target: 'dev',
      targetsFile: join(dir, 'targets.yaml'),
      env: {},
    })
    expect(prepared.notices).toEqual([
      expect.stringMatching(
        /targets\.yaml:4:\d+: target 'dev' has a literal secret in 'registration\.iat\.token'/,
      ),
      "TLS certificate verification is DISABLED for target 'dev' (tls.insecure: true); use only for development",
    ])
  })

  it('reads the extra CA now, so a missing file is a config error', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dcrc-prep-'))
    await writeFile(
      join(dir, 'targets.yaml'),
      'dev:\n  issuer: https://dev.test\n  tls: { ca: ./missing-ca.pem }\n',
    )
    await expect(
      prepareTarget({ target: 'dev', targetsFile: join(dir, 'targets.yaml') }),
    ).rejects.toMatchObject({
      code: 'E_CONFIG',
      message: expect.stringMatching(/cannot read tls\.ca .*missing-ca\.pem/),
    })
  })

  it('the default is the reference target; --fault needs it', async () => {
    expect(await prepareTarget({})).toEqual({ isReference: true, notices: [] })
    await expect(
      prepareTarget({ target: 'https://x.test', faults: ['iat-reusable'] }),
    ).rejects.toMatchObject({ code: 'E_USAGE' })
  })
})
