/**
 * `npm run build`'s last step: compiles the package's response schemas (fixtures/schemas) into
 * dist/harness/checks/schema-code.cjs (schema-code.ts), next to the compiled schemas.js, and the
 * scenario format's schema into dist/harness/scenario/scenario-schema-code.cjs.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { packageRoot } from '../package-root.ts'
import {
  SCENARIO_AJV_OPTIONS,
  SCENARIO_SCHEMA_CODE_FILE,
  SCHEMA_CODE_FILE,
  writeSchemaCode,
  type SchemaText,
} from './schema-code.ts'

const SUFFIX = '.schema.json'
const folder = join(packageRoot(), 'fixtures', 'schemas')
const files: SchemaText[] = []
for (const name of (await readdir(folder)).filter((n) => n.endsWith(SUFFIX)).sort()) {
  files.push({ name: name.slice(0, -SUFFIX.length), text: await readFile(join(folder, name), 'utf8') })
}
await writeSchemaCode(files, fileURLToPath(new URL(SCHEMA_CODE_FILE, import.meta.url)))

const scenarioText = await readFile(join(packageRoot(), 'harness', 'scenario', 'scenario.schema.json'), 'utf8')
await writeSchemaCode(
  [{ name: 'scenario', text: scenarioText }],
  fileURLToPath(new URL(`../scenario/${SCENARIO_SCHEMA_CODE_FILE}`, import.meta.url)),
  SCENARIO_AJV_OPTIONS,
)
