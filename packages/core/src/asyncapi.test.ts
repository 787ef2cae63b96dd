// packages/core/asyncapi.yaml, parsed and validated by the AsyncAPI parser with its payloads
// resolved from the JSON Schema as the build writes it (dist/json-schema/ beside the document).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromFile, Parser } from '@asyncapi/parser';
import { afterAll, describe, expect, it } from 'vitest';
import { buildJsonSchema } from './schema/jsonSchema.ts';

const root = mkdtempSync(join(tmpdir(), 'connmix-asyncapi-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('asyncapi.yaml', () => {
  // The parser loads its rule sets on first use: seconds on a loaded machine.
  it(
    'is a valid AsyncAPI 3 document whose payloads resolve to the JSON Schema',
    { timeout: 60_000 },
    async () => {
      mkdirSync(join(root, 'dist', 'json-schema'), { recursive: true });
      writeFileSync(
        join(root, 'dist', 'json-schema', 'connmix.schema.json'),
        JSON.stringify(buildJsonSchema()),
      );
      copyFileSync(new URL('../asyncapi.yaml', import.meta.url), join(root, 'asyncapi.yaml'));

      const { document, diagnostics } = await fromFile(new Parser(), join(root, 'asyncapi.yaml')).parse();
      const errors = diagnostics.filter((d) => d.severity === 0);
      expect(errors.map((d) => `${d.path.join('.')}: ${d.message}`)).toEqual([]);
      expect(document).toBeDefined();
      expect(document!.version()).toBe('3.0.0');
      const operations = document!
        .operations()
        .all()
        .map((operation) => operation.id());
      expect(operations).toEqual(
        expect.arrayContaining([
          'requestV102',
          'requestV103',
          'eventsV102',
          'eventsV103',
          'restSend',
          'restPublish',
          'centerNodes',
        ]),
      );
      // A payload is the referenced JSON Schema definition, not an empty placeholder.
      const publish = document!.components().messages().get('restPublishBody');
      expect(publish?.payload()?.required()).toEqual(['c', 'd']);
    },
  );
});
