// Seeded generated and mutated frames through a live client over a real socket, interleaved with
// real calls: every frame is accounted for exactly once and in order (a valid queue event
// delivered, anything else reported once on `error`), every call gets its own answer, nothing
// is left unhandled, and the client still answers afterwards.
import { isDeepStrictEqual } from 'node:util';
import {
  createClient,
  createCodec,
  nodeTransport,
  type ClientErrorEvent,
  type Incoming,
} from '@connmix/node';
import { afterEach, describe, expect, it } from 'vitest';
import { count, timeoutFor } from '../../src/counts.ts';
import { recordFigures } from '../../src/figures.ts';
import { mutate, validFrame } from '../../src/frames.ts';
import { startScriptedEngine, type ScriptedEngine } from '../../src/scriptedEngine.ts';
import { Random, runSeed } from '../../src/seed.ts';
import { turnUntil } from '../../src/settlements.ts';

const FRAMES = count(5_000, 100_000);
const FRAMES_BETWEEN_CALLS = 100;
/** Generated responses never carry an id this low: those belong to the real calls. */
const FIRST_STRAY_ID = 2 ** 24;
const seed = runSeed();

/** What the client must do with one frame. */
type Observation = { message: unknown } | { error: ClientErrorEvent['kind'] };

function expectedObservation(incoming: Incoming): Observation {
  switch (incoming.kind) {
    case 'event':
      return 'message' in incoming ? { message: incoming.message } : { error: 'unknown-event' };
    case 'error':
      return { error: incoming.id === null ? 'server' : 'unknown-response' };
    case 'response':
    case 'pong':
      return { error: 'unknown-response' };
  }
}

let engine: ScriptedEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

describe(`live client fuzz (seed ${seed})`, () => {
  it(
    `${FRAMES} frames over a real socket between real calls: each accounted for once, in order`,
    async () => {
      const random = new Random(seed);
      const oracle = createCodec();
      engine = await startScriptedEngine();
      const client = createClient({ url: engine.url, transport: nodeTransport(), heartbeat: false });
      const observed: Observation[] = [];
      client.on('message', ({ node, clientId, topic, data }) =>
        observed.push({ message: { ...(node === undefined ? {} : { node }), clientId, topic, data } }),
      );
      client.on('error', (event) => observed.push({ error: event.kind }));
      await client.pop('foo');
      const socket = await engine.consumer('foo');

      const expected: Observation[] = [];
      const tally = { frames: 0, valid: 0, mutated: 0, binary: 0, delivered: 0, reported: 0, calls: 0 };
      while (tally.frames < FRAMES) {
        for (let i = 0; i < FRAMES_BETWEEN_CALLS && tally.frames < FRAMES; i++) {
          if (random.chance(0.01)) {
            socket.send(new Uint8Array([123, 125]));
            expected.push({ error: 'protocol' });
            tally.binary++;
            tally.frames++;
            continue;
          }
          const generated = validFrame(random);
          const written = random.chance(0.5) ? generated.frame : mutate(random, generated.frame);
          // A text frame travels as UTF-8: a lone surrogate a mutation inserted arrives as U+FFFD.
          const frame = Buffer.from(written, 'utf8').toString('utf8');
          let meaning: Observation;
          try {
            const incoming = oracle.decode(frame);
            if (
              (incoming.kind === 'response' || incoming.kind === 'error') &&
              incoming.id !== null &&
              incoming.id < FIRST_STRAY_ID
            )
              continue;
            meaning = expectedObservation(incoming);
          } catch {
            meaning = { error: 'protocol' };
          }
          socket.send(frame);
          expected.push(meaning);
          tally.frames++;
          if (written === generated.frame) tally.valid++;
          else tally.mutated++;
        }
        const channel = `room-${tally.calls}`;
        await expect(client.publish(channel, 'between frames')).resolves.toEqual({
          success: 1,
          fail: 0,
          total: 1,
        });
        tally.calls++;
      }
      await turnUntil('every frame observed', () => observed.length >= expected.length);
      await expect(client.call('1627581697287520263', 'subscribe', ['after'])).resolves.toEqual({
        success: true,
      });
      expect(observed).toHaveLength(expected.length);
      if (!isDeepStrictEqual(observed, expected)) {
        const first = expected.findIndex(
          (observation, index) => !isDeepStrictEqual(observation, observed[index]),
        );
        expect({ index: first, observed: observed[first] }, `seed ${seed}`).toEqual({
          index: first,
          observed: expected[first],
        });
      }
      tally.delivered = observed.filter((observation) => 'message' in observation).length;
      tally.reported = observed.length - tally.delivered;
      const published = engine.requests.filter((request) => request.method === 'mesh.publish');
      expect(published).toHaveLength(tally.calls);
      await client.close();
      recordFigures('live-client-fuzz', { seed, ...tally });
    },
    timeoutFor(30_000, 600_000),
  );
});
