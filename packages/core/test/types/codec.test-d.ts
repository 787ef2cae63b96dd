import { describe, expectTypeOf, it } from 'vitest';
import type {
  DeliveryResult,
  Incoming,
  OutgoingRequest,
  QueueMessageData,
  SuccessResult,
} from '../../src/index.ts';
import { createCodec, ErrorCode } from '../../src/index.ts';

describe('codec types', () => {
  const codec = createCodec({ dialect: 'v1.0.3' });

  it('encode takes a request with an id and returns the frame text', () => {
    expectTypeOf(codec.encode).parameter(0).toEqualTypeOf<OutgoingRequest & { id: number }>();
    expectTypeOf(codec.encode).returns.toBeString();
    // @ts-expect-error a request needs its id
    codec.encode({ method: 'queue.unpop' });
    // @ts-expect-error client ids are strings, never numbers
    codec.encode({ id: 1, method: 'mesh.send', clientId: 1, data: 'x' });
  });

  it('decode returns the Incoming union of DESIGN.md', () => {
    expectTypeOf(codec.decode).returns.toEqualTypeOf<Incoming>();
    expectTypeOf<Extract<Incoming, { kind: 'response' }>>().toEqualTypeOf<{
      kind: 'response';
      id: number;
      result: unknown;
    }>();
    expectTypeOf<Extract<Incoming, { kind: 'error' }>>().toEqualTypeOf<{
      kind: 'error';
      id: number | null;
      code: number;
      message: string;
    }>();
    expectTypeOf<Extract<Incoming, { kind: 'pong' }>>().toEqualTypeOf<{ kind: 'pong' }>();
    expectTypeOf<QueueMessageData>().toEqualTypeOf<{
      node?: string | undefined;
      clientId: string;
      topic: string;
      data: unknown;
    }>();
  });

  it('narrows on kind, exhaustively', () => {
    const describe = (incoming: Incoming): string => {
      switch (incoming.kind) {
        case 'response':
          return String(incoming.id);
        case 'error':
          return String(incoming.code);
        case 'event':
          return incoming.event;
        case 'pong':
          return 'pong';
        default:
          expectTypeOf(incoming).toBeNever();
          return incoming;
      }
    };
    expectTypeOf(describe).returns.toBeString();
  });

  it('result is typed per method', () => {
    expectTypeOf(codec.result('queue.pop', {})).toEqualTypeOf<SuccessResult>();
    expectTypeOf(codec.result('conn.call', {})).toEqualTypeOf<{ success: boolean }>();
    expectTypeOf(codec.result('mesh.send', {})).toEqualTypeOf<DeliveryResult>();
    expectTypeOf(codec.result('mesh.publish', {})).toEqualTypeOf<{
      success: number;
      fail: number;
      total: number;
    }>();
  });

  it('ErrorCode is a const object and an open type', () => {
    expectTypeOf(ErrorCode.DuplicateConsume).toEqualTypeOf<202>();
    expectTypeOf<101>().toExtend<ErrorCode>();
    expectTypeOf<999>().toExtend<ErrorCode>();
  });
});
