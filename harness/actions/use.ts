/** `use` action: runs a named TypeScript fixture (logic that does not fit data). */
import { HarnessError } from '../errors.ts'
import type { UseInput } from '../model/scenario.ts'
import type { Action } from './action.ts'
import { loadFixture } from './fixtures/index.ts'

export const useAction: Action<UseInput> = {
  name: 'use',
  async execute(input, context) {
    if (typeof input.fixture !== 'string')
      throw new HarnessError('E_FIXTURE', 'use: `fixture` must be a name')
    const fixture = await loadFixture(input.fixture)
    return fixture.execute(input.with ?? {}, context)
  },
}
