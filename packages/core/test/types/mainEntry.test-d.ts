// The schema names of the main entry are the types the schemas infer.
import type * as z from 'zod';
import type { Channel, ConnCallRequest, NodeId, OutgoingRequest, Topic } from '../../src/index.ts';
import type * as schema from '../../src/schema/index.ts';
import { describe, expectTypeOf, it } from 'vitest';

describe('@connmix/core main entry types', () => {
  it('are the inferred types of the schemas', () => {
    expectTypeOf<Channel>().toEqualTypeOf<z.infer<typeof schema.Channel>>();
    expectTypeOf<Topic>().toEqualTypeOf<string>();
    expectTypeOf<NodeId>().toEqualTypeOf<string>();
    expectTypeOf<ConnCallRequest>().toEqualTypeOf<z.infer<typeof schema.ConnCallRequest>>();
    expectTypeOf<ConnCallRequest>().toExtend<OutgoingRequest>();
  });
});
