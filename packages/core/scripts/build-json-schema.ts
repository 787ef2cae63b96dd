// Writes `@connmix/core/json-schema` (dist/json-schema/connmix.schema.json) from the zod schemas.
// Run by the root `build` script after rollup, which empties dist/ first.
import { mkdirSync, writeFileSync } from 'node:fs';
import { buildJsonSchema } from '../src/schema/jsonSchema.ts';

const out = new URL('../dist/json-schema/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(new URL('connmix.schema.json', out), `${JSON.stringify(buildJsonSchema(), null, 2)}\n`);
process.stdout.write('json-schema: dist/json-schema/connmix.schema.json\n');
