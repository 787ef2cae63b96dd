// How close decode stays to bare JSON.parse. Compare the ratios within one run: absolute
// numbers depend on the machine and its load.
import { bench, describe } from 'vitest';
import { createCodec } from '../src/index.ts';
import { QueueEventIncoming } from '../src/schema/index.ts';
import { WireFrame } from '../src/schema/wire.ts';

const codec = createCodec();
const event =
  '{"e":"queue.pop","p":{"c":"1627581697287520263","t":"foo","d":{"ctx":{"uid":10001,"name":"ada"},"msg":"{\\"type\\":\\"chat\\",\\"room\\":\\"lobby\\",\\"text\\":\\"hello there, everyone\\"}"}},"id":null}';
const bareIdEvent = event.replace('"c":"1627581697287520263"', '"c":1627581697287520263');
const response = '{"E":null,"r":{"s":true,"f":0,"t":9},"i":12345}';

describe(`queue event (${event.length} bytes)`, () => {
  bench('JSON.parse', () => {
    JSON.parse(event);
  });
  bench('codec.decode', () => {
    codec.decode(event);
  });
  bench('JSON.parse + zod WireFrame', () => {
    WireFrame.parse(JSON.parse(event));
  });
  bench('JSON.parse + zod QueueEventIncoming shape only', () => {
    QueueEventIncoming.safeParse(JSON.parse(event));
  });
});

describe('queue event with the client id as a bare 64-bit number (slow path)', () => {
  bench('JSON.parse (loses the id)', () => {
    JSON.parse(bareIdEvent);
  });
  bench('codec.decode (exact)', () => {
    codec.decode(bareIdEvent);
  });
});

describe('response', () => {
  bench('JSON.parse', () => {
    JSON.parse(response);
  });
  bench('codec.decode + result', () => {
    const decoded = codec.decode(response);
    if (decoded.kind === 'response') codec.result('mesh.publish', decoded.result);
  });
});

describe('encode', () => {
  const request = { id: 1, method: 'mesh.send', clientId: '1627581697287520263', data: 'hello' } as const;
  bench('JSON.stringify of the wire object', () => {
    JSON.stringify({ m: 'mesh.send', p: [{ c: request.clientId, d: request.data }], i: 1 });
  });
  bench('codec.encode (validated)', () => {
    codec.encode(request);
  });
});
