import { createServer, connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TickBatch } from './tickBatch.ts';

const open: Socket[] = [];
const server = createServer();
afterEach(() => {
  for (const socket of open.splice(0)) socket.destroy();
  server.close();
});

/** A connected pair on loopback; `received(n)` resolves with the first n bytes the server got. */
async function pair(): Promise<{ client: Socket; received(bytes: number): Promise<string> }> {
  let text = '';
  let waiting: { bytes: number; resolve(text: string): void } | undefined;
  server.once('connection', (socket) => {
    open.push(socket);
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (waiting && text.length >= waiting.bytes) waiting.resolve(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const client = connect(port, '127.0.0.1');
  open.push(client);
  await new Promise<void>((resolve) => client.once('connect', resolve));
  return {
    client,
    received: (bytes) =>
      new Promise((resolve) => {
        if (text.length >= bytes) resolve(text);
        else waiting = { bytes, resolve };
      }),
  };
}

/** Counts the calls that hand bytes to the operating system. */
function countWrites(socket: Socket): () => number {
  let calls = 0;
  const stream = socket as unknown as Record<'_write' | '_writev', (...args: unknown[]) => void>;
  for (const method of ['_write', '_writev'] as const) {
    const original = stream[method].bind(socket);
    stream[method] = (...args) => {
      calls += 1;
      original(...args);
    };
  }
  return () => calls;
}

describe('TickBatch', () => {
  it('the first write of a turn leaves at once; the rest of the turn, its promise callbacks included, leave in one write', async () => {
    const { client, received } = await pair();
    const writes = countWrites(client);
    const batch = new TickBatch();
    batch.attach(client);
    batch.hold();
    client.write('a');
    batch.hold();
    client.write('b');
    await Promise.resolve();
    batch.hold();
    client.write('c');
    batch.hold();
    client.write('d');
    expect(await received(4)).toBe('abcd');
    expect(writes()).toBe(2);
  });

  it('a lone write in each turn goes out at once, turn after turn', async () => {
    const { client, received } = await pair();
    const writes = countWrites(client);
    const batch = new TickBatch();
    batch.attach(client);
    batch.hold();
    client.write('a');
    expect(await received(1)).toBe('a');
    batch.hold();
    client.write('b');
    expect(await received(2)).toBe('ab');
    expect(writes()).toBe(2);
  });
});
