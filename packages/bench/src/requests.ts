// Requests: calls completed per second with 1 and with 100 in flight, each client against its own
// minimal server in another process. The raw row is a hand-written ws client that correlates ids
// with a Map: the floor of what any client over ws can cost.
import { connect } from '@connmix/node';
import { createTRPCClient, createWSClient, wsLink } from '@trpc/client';
import { connect as natsConnect } from '@nats-io/transport-node';
import { io } from 'socket.io-client';
import WebSocket from 'ws';
import { findNatsServer, startNats } from './servers/natsServer.ts';
import { spawnServer, type ServerProcess } from './servers/spawnServer.ts';
import type { BenchRouter } from './servers/trpcRouter.ts';
import { interleaved, type Case, type Figure } from './stats.ts';

interface Caller {
  call(): Promise<unknown>;
  close(): Promise<void> | void;
}

interface Contender {
  name: string;
  /** Why this contender cannot run here, if it cannot. */
  missing?(): string | undefined;
  serve(): Promise<ServerProcess>;
  open(port: number): Promise<Caller>;
}

const CONTENDERS: Contender[] = [
  { name: 'raw ws + Map', serve: () => spawnServer('connmixServer'), open: openRaw },
  { name: 'connmix client.publish', serve: () => spawnServer('connmixServer'), open: openConnmix },
  { name: 'socket.io emit + ack', serve: () => spawnServer('socketIoServer'), open: openSocketIo },
  { name: 'tRPC wsLink mutation', serve: () => spawnServer('trpcServer'), open: openTrpc },
  {
    name: 'nats-core request (nats-server, context only)',
    missing: () =>
      findNatsServer() === undefined
        ? '`nats-server` is not on PATH (Debian: `apt-get install nats-server`)'
        : undefined,
    serve: () => startNats(findNatsServer()!),
    open: openNats,
  },
];

export interface RequestFigures {
  inFlight: number;
  calls: number;
  figures: Map<string, Figure>;
  /** Contenders that could not run here, with the reason. */
  skipped: Map<string, string>;
}

export async function benchRequests(
  inFlight: number,
  calls: number,
  rounds: number,
): Promise<RequestFigures> {
  const servers: ServerProcess[] = [];
  const callers: Caller[] = [];
  const skipped = new Map<string, string>();
  try {
    const cases: Case[] = [];
    for (const contender of CONTENDERS) {
      const missing = contender.missing?.();
      if (missing !== undefined) {
        skipped.set(contender.name, missing);
        continue;
      }
      const server = await contender.serve();
      servers.push(server);
      const caller = await contender.open(server.port);
      callers.push(caller);
      await drive(caller, Math.min(calls, 2_000), inFlight); // warm-up: JIT, socket buffers
      cases.push({ name: contender.name, measure: () => drive(caller, calls, inFlight) });
    }
    return { inFlight, calls, figures: await interleaved(cases, rounds), skipped };
  } finally {
    for (const caller of callers) await caller.close();
    for (const server of servers) await server.stop();
  }
}

/** Completes `calls` calls, never more than `inFlight` at once; returns calls per second. */
async function drive(caller: Caller, calls: number, inFlight: number): Promise<number> {
  let started = 0;
  const worker = async () => {
    while (started < calls) {
      started += 1;
      await caller.call();
    }
  };
  const begin = performance.now();
  await Promise.all(Array.from({ length: Math.min(inFlight, calls) }, worker));
  return calls / ((performance.now() - begin) / 1000);
}

async function openRaw(port: number): Promise<Caller> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/ws/v1`);
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  const pending = new Map<number, { resolve(value: unknown): void; timer: NodeJS.Timeout }>();
  let nextId = 1;
  socket.on('message', (raw) => {
    const frame = JSON.parse(raw.toString()) as { r: unknown; i: number };
    const entry = pending.get(frame.i);
    if (!entry) return;
    pending.delete(frame.i);
    clearTimeout(entry.timer);
    entry.resolve(frame.r);
  });
  return {
    call: () =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error('timeout'));
        }, 10_000);
        pending.set(id, { resolve, timer });
        socket.send(JSON.stringify({ m: 'mesh.publish', p: [{ c: 'room', d: 'hello' }], i: id }));
      }),
    close: () => socket.close(),
  };
}

async function openConnmix(port: number): Promise<Caller> {
  const client = await connect(`ws://127.0.0.1:${port}/ws/v1`, { heartbeat: false });
  return { call: () => client.publish('room', 'hello'), close: () => client.close() };
}

async function openSocketIo(port: number): Promise<Caller> {
  const socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
  await new Promise((resolve, reject) =>
    socket.once('connect', () => resolve(undefined)).once('connect_error', reject),
  );
  return {
    call: () => socket.timeout(10_000).emitWithAck('publish', 'room', 'hello'),
    close: () => {
      socket.close();
    },
  };
}

async function openTrpc(port: number): Promise<Caller> {
  const wsClient = createWSClient({
    url: `ws://127.0.0.1:${port}`,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  });
  const client = createTRPCClient<BenchRouter>({ links: [wsLink({ client: wsClient })] });
  await client.publish.mutate({ channel: 'room', data: 'hello' });
  return {
    call: () => client.publish.mutate({ channel: 'room', data: 'hello' }),
    close: () => wsClient.close(),
  };
}

async function openNats(port: number): Promise<Caller> {
  const nc = await natsConnect({ servers: `127.0.0.1:${port}` });
  const request = JSON.stringify({ channel: 'room', data: 'hello' });
  return {
    call: () => nc.request('publish', request, { timeout: 10_000 }).then((reply) => reply.json()),
    close: () => nc.close(),
  };
}
