import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { AbortError, ConnectionClosedError, type ServerError } from '../errors/errors.ts';
import { openClient, settle } from './testing/clientHarness.ts';
import { useFakeTimers } from '../runtime/testing/fakeTimers.ts';

useFakeTimers();

/** One call and the answer the fake engine will give it. */
const callArbitrary = fc.oneof(
  fc.record({
    kind: fc.constant('send' as const),
    fail: fc.nat({ max: 3 }),
    total: fc.nat({ max: 3 }),
    error: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('publish' as const),
    fail: fc.nat({ max: 50 }),
    total: fc.nat({ max: 50 }),
    error: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('call' as const),
    fail: fc.constant(0),
    total: fc.constant(0),
    error: fc.boolean(),
  }),
);

describe('correlation (property)', () => {
  it('resolves each call with its own answer whatever order the answers arrive in', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(callArbitrary, { minLength: 1, maxLength: 25 }),
        fc.array(fc.integer({ min: 1_000, max: 2_000 }), { maxLength: 5 }),
        fc.constantFrom('v1.0.2' as const, 'v1.0.3' as const),
        async (s, calls, strayIds, dialect) => {
          const { client, socket, errors } = await openClient({ heartbeat: false, dialect });
          const expected: unknown[] = [];
          const promises = calls.map((call, index) => {
            const clientId = String(10n ** 18n + BigInt(index));
            switch (call.kind) {
              case 'send':
                return client.send(clientId, `m${index}`);
              case 'publish':
                return client.publish(`room${index}`, `m${index}`);
              case 'call':
                return client.call(clientId, `f${index}`, [index]);
            }
          });
          const requests = socket.requests();
          expect(requests.map((r) => r.i)).toEqual(calls.map((_, index) => index + 1));
          calls.forEach((call, index) => {
            const id = index + 1;
            const total = Math.max(call.total, call.fail);
            if (call.error) {
              expected.push({ error: 'ServerError', code: 400 + index, method: requests[index]!.m });
              void s
                .schedule(Promise.resolve(), `error ${id}`)
                .then(() => socket.replyError(id, 400 + index, `e${id}`));
              return;
            }
            if (call.kind === 'call') {
              expected.push({ success: index % 2 === 0 });
              void s
                .schedule(Promise.resolve(), `reply ${id}`)
                .then(() => socket.reply(id, { s: index % 2 === 0 }));
            } else if (call.kind === 'publish' && dialect === 'v1.0.3') {
              expected.push({ success: total - call.fail, fail: call.fail, total });
              void s
                .schedule(Promise.resolve(), `reply ${id}`)
                .then(() => socket.reply(id, { s: total - call.fail, f: call.fail }));
            } else {
              expected.push({ success: total - call.fail, fail: call.fail, total });
              void s
                .schedule(Promise.resolve(), `reply ${id}`)
                .then(() => socket.reply(id, { s: total > call.fail, f: call.fail, t: total }));
            }
          });
          for (const stray of strayIds) {
            void s.schedule(Promise.resolve(), `stray ${stray}`).then(() => socket.reply(stray, { s: true }));
          }
          await s.waitIdle();
          const outcomes = await Promise.allSettled(promises);
          const actual = outcomes.map((outcome) =>
            outcome.status === 'fulfilled'
              ? outcome.value
              : {
                  error: (outcome.reason as ServerError).name,
                  code: (outcome.reason as ServerError).code,
                  method: (outcome.reason as ServerError).method,
                },
          );
          expect(actual).toEqual(expected);
          expect(errors.map((e) => e.kind)).toEqual(strayIds.map(() => 'unknown-response'));
          await client.close();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('settles each call exactly once under any interleaving of answers, aborts and a dropped socket', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.array(fc.record({ abort: fc.boolean(), answer: fc.boolean() }), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        async (s, calls, drop) => {
          const { client, socket, errors } = await openClient({ heartbeat: false, reconnect: false });
          const settlements = calls.map(() => [] as unknown[]);
          const controllers = calls.map(() => new AbortController());
          calls.forEach((_, index) => {
            client.publish('room', `m${index}`, { signal: controllers[index]!.signal }).then(
              (value) => settlements[index]!.push(value),
              (error: unknown) => settlements[index]!.push(error),
            );
          });
          calls.forEach((call, index) => {
            if (call.answer) {
              void s.schedule(Promise.resolve(), `answer ${index + 1}`).then(() => {
                if (socket.state === 'open') socket.reply(index + 1, { s: true, f: 0, t: 1 });
              });
            }
            if (call.abort) {
              void s
                .schedule(Promise.resolve(), `abort ${index + 1}`)
                .then(() => controllers[index]!.abort());
            }
          });
          if (drop) void s.schedule(Promise.resolve(), 'drop').then(() => socket.drop(1006, ''));
          await s.waitIdle();
          await client.close();
          await settle();
          for (const [index, settled] of settlements.entries()) {
            expect(settled, `call ${index + 1}`).toHaveLength(1);
            const [outcome] = settled;
            const ok =
              (calls[index]!.answer && JSON.stringify(outcome) === '{"success":1,"fail":0,"total":1}') ||
              (calls[index]!.abort && outcome instanceof AbortError) ||
              outcome instanceof ConnectionClosedError;
            expect(ok, `call ${index + 1}: ${String(outcome)}`).toBe(true);
          }
          // An answer to an aborted call is expected, not unknown.
          expect(errors).toEqual([]);
          expect(vi.getTimerCount()).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });
});
