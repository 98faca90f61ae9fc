import { readFile } from 'node:fs/promises'
await import('../dist/builtin/register.js')
const { main } = await import('../dist/harness/cli.js')
const args = ['--suite','suites/registration','--suite','suites/metadata-validation','--suite','suites/errors','--suite','suites/initial-access-token','--suite','suites/client-management','--login-driver','http','--workers','2','-q','--reporter','json=/tmp/cpuprobe.json']
const c0 = process.cpuUsage()
const code = await main(args)
const c = process.cpuUsage(c0)
const r = JSON.parse(await readFile('/tmp/cpuprobe.json','utf8'))
console.log(Math.round(r.durationMs), Math.round((c.user + c.system) / 1000))
