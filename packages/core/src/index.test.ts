// The main entry is the client's: it names the schemas' types, never the zod schemas themselves,
// so an application that imports the client never loads zod (they stay at `@connmix/core/schema`).
import * as core from './index.ts';
import * as schema from './schema/index.ts';
import { describe, expect, it } from 'vitest';

const isZodSchema = (value: unknown) =>
  typeof value === 'object' && value !== null && '_zod' in value && 'safeParse' in value;

describe('@connmix/core main entry', () => {
  it('exports no zod schema', () => {
    const schemas = Object.entries(core).filter(([, value]) => isZodSchema(value));
    expect(schemas.map(([name]) => name)).toEqual([]);
  });

  it('exports the runtime API and nothing else', () => {
    expect(Object.keys(core).sort()).toEqual([
      'AbortError',
      'CLIENT_DEFAULTS',
      'CLUSTER_DEFAULTS',
      'ConnectionClosedError',
      'ConnmixError',
      'DEFAULT_DIALECT',
      'ErrorCode',
      'ProtocolError',
      'REST_DEFAULTS',
      'ServerError',
      'TimeoutError',
      'ValidationError',
      'connectClient',
      'createClient',
      'createCluster',
      'createCodec',
      'createRestClient',
      'isConnmixError',
      'openCluster',
    ]);
  });

  it('leaves the schemas to @connmix/core/schema', () => {
    for (const name of ['Channel', 'Topic', 'NodeId', 'ClientId', 'OutgoingRequest', 'WireFrame']) {
      expect(isZodSchema(schema[name as keyof typeof schema]), name).toBe(true);
    }
  });
});
