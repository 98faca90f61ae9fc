import { it } from 'vitest'
import { startReferenceFlow } from './support/reference-flow.ts'
it('timing', async () => {
  const flow = await startReferenceFlow({ driver: 'browser' })
  const client = await flow.register('t/1')
  for (let i = 0; i < 3; i++) {
    const t0 = Date.now()
    const auth = await flow.authorize(`t/${i}`, { client })
    console.log('happy', i, Date.now() - t0, auth.redirected)
  }
  for (let i = 0; i < 2; i++) {
    const t0 = Date.now()
    const auth = await flow.authorize(`t/e${i}`, { client, redirect_uri: 'https://evil.test/cb' })
    console.log('error', i, Date.now() - t0, auth.redirected, auth.status)
  }
  await flow.close()
}, 120000)
