import { describe, expect, it, vi } from 'vitest';
import { ConnectionClosedError, ConnmixError, ValidationError } from '../errors/errors.ts';
import type { TransportCloseInfo } from './transport.ts';
import { transportLifecycle, type ClosableSocket } from './transportLifecycle.ts';
import { useFakeTimers } from '../runtime/testing/fakeTimers.ts';

useFakeTimers();

/** A socket that records its close calls, and refuses a code or reason when told to. */
class RecordingSocket implements ClosableSocket {
  readonly calls: unknown[][] = [];
  constructor(private readonly refuse = false) {}
  close(...args: unknown[]): void {
    this.calls.push(args);
    if (this.refuse && args.length > 0) throw new SyntaxError('code refused');
  }
}

function lifecycle(socket?: ClosableSocket) {
  const closes: TransportCloseInfo[] = [];
  const errors: Error[] = [];
  const [isEnded, end, fail, failToCreate, notOpen, close] = transportLifecycle(
    { onClose: (info) => closes.push(info), onError: (error) => errors.push(error) },
    () => socket,
  );
  return { closes, errors, isEnded, end, fail, failToCreate, notOpen, close };
}

describe('transportLifecycle', () => {
  it('reports the close once, whatever ends the transport after that', () => {
    const t = lifecycle();
    expect(t.isEnded()).toBe(false);
    t.end({ code: 1001, reason: 'going away' });
    t.end({ code: 1006, reason: '' });
    expect(t.closes).toEqual([{ code: 1001, reason: 'going away' }]);
    expect(t.isEnded()).toBe(true);
  });

  it('reports errors until the transport ends, and none after', () => {
    const t = lifecycle();
    const before = new Error('before');
    t.fail(before);
    t.end({ code: 1006, reason: '' });
    t.fail(new Error('after the end'));
    expect(t.errors).toEqual([before]);
  });

  it('reports no error once close() was asked for, though the socket has not ended yet', () => {
    const socket = new RecordingSocket();
    const t = lifecycle(socket);
    t.close(4000, 'done');
    t.fail(new Error('the error event of a socket being closed'));
    expect(t.errors).toEqual([]);
    expect(t.isEnded()).toBe(false);
    t.end({ code: 4000, reason: 'done' });
    expect(t.closes).toEqual([{ code: 4000, reason: 'done' }]);
  });

  it('closes the socket with the code and reason, 1000 by default, and keeps the first request', () => {
    const first = new RecordingSocket();
    const t = lifecycle(first);
    t.close();
    t.close(4001, 'second');
    expect(first.calls).toEqual([
      [1000, ''],
      [4001, 'second'],
    ]);
    expect(t.notOpen('cannot send').code).toBe(1000);
  });

  it('falls back to a bare close() when the socket refuses the code or reason', () => {
    const socket = new RecordingSocket(true);
    const t = lifecycle(socket);
    t.close(1001, 'x'.repeat(200));
    expect(socket.calls).toEqual([[1001, 'x'.repeat(200)], []]);
  });

  it('does nothing on close() once ended: the socket is not touched and no close is recorded', () => {
    const socket = new RecordingSocket();
    const t = lifecycle(socket);
    t.end({ code: 1006, reason: '' });
    t.close(4000, 'late');
    expect(socket.calls).toEqual([]);
    expect(t.notOpen('cannot send').code).toBe(1006);
  });

  it('refuses a send with the close that was asked for, else 1006', () => {
    const t = lifecycle(new RecordingSocket());
    const before = t.notOpen('cannot send: the connection to ws://h is not open');
    expect(before).toBeInstanceOf(ConnectionClosedError);
    expect({ message: before.message, code: before.code, reason: before.reason }).toEqual({
      message: 'cannot send: the connection to ws://h is not open',
      code: 1006,
      reason: '',
    });
    t.close(4000, 'bye');
    const after = t.notOpen('cannot send: the connection to ws://h is closing or closed');
    expect({ message: after.message, code: after.code, reason: after.reason }).toEqual({
      message: 'cannot send: the connection to ws://h is closing or closed',
      code: 4000,
      reason: 'bye',
    });
  });

  it('reports a socket that could not be created a turn later: a ValidationError, then 1006', () => {
    const t = lifecycle();
    const cause = new TypeError('Invalid URL');
    t.failToCreate('ws://***@h', cause);
    expect(t.errors).toEqual([]);
    expect(t.closes).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(t.errors).toHaveLength(1);
    const error = t.errors[0] as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatchInlineSnapshot(
      `"invalid WebSocket URL at url: cannot connect to ws://***@h: Invalid URL"`,
    );
    expect(error.issues).toEqual([{ path: ['url'], message: 'cannot connect to ws://***@h: Invalid URL' }]);
    expect(error.cause).toBe(cause);
    expect(t.closes).toEqual([{ code: 1006, reason: '' }]);
    expect(t.isEnded()).toBe(true);
  });

  it('passes an SDK error from a failed creation on as it is', () => {
    const t = lifecycle();
    const refused = new ConnmixError('malformed credentials');
    t.failToCreate('ws://h', refused);
    vi.advanceTimersByTime(0);
    expect(t.errors).toEqual([refused]);
  });

  it('reports only the close of a failed creation when close() came first', () => {
    const t = lifecycle();
    t.failToCreate('ws://h', new Error('bad port'));
    t.close(1000, '');
    vi.advanceTimersByTime(0);
    expect(t.errors).toEqual([]);
    expect(t.closes).toEqual([{ code: 1006, reason: '' }]);
  });
});
