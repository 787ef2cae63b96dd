// The browser adapter's client, and the REST client, in another runtime (Bun, Deno), with that
// runtime's own WebSocket and fetch. Started by runtimes.test.ts with the URLs of a dev mesh it
// runs in Node; prints one JSON line per step passed, and exits 1 at the first failure.
import { connect, createRestClient, type ClientState, type QueueMessage } from '@connmix/browser';

interface Mesh {
  apiUrl: string;
  protocolUrl: string;
  restUrl: string;
  /** POST here drops every API socket of the engine (the client must reconnect). */
  dropUrl: string;
}

const mesh = JSON.parse(readEnv()) as Mesh;
const STEP_MS = 10_000;

function readEnv(): string {
  const g = globalThis as unknown as {
    Deno?: { env: { get(name: string): string | undefined } };
    process?: { env: Record<string, string | undefined> };
  };
  const value = g.Deno ? g.Deno.env.get('CONNMIX_MESH') : g.process?.env['CONNMIX_MESH'];
  if (!value) throw new Error('CONNMIX_MESH is not set');
  return value;
}

/** Bun and Deno both have `process` (Node compatibility); Deno's own API is the fallback. */
function setExitCode(code: number): void {
  const g = globalThis as unknown as {
    process?: { exitCode?: number };
    Deno?: { exit(code: number): never };
  };
  if (g.process) g.process.exitCode = code;
  else g.Deno?.exit(code);
}

function report(step: string, detail: unknown = null): void {
  console.log(JSON.stringify({ step, detail }));
}

/** Rejects if `promise` does not settle within the step deadline (a wait, never a sleep). */
function within<T>(what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${STEP_MS} ms`)), STEP_MS);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** An end user on the protocol server, with its text frames in order. */
async function endUser(url: string) {
  const ws = new WebSocket(url);
  const frames: string[] = [];
  const waiting: Array<(frame: string) => void> = [];
  ws.addEventListener('message', (event) => {
    const frame = typeof event.data === 'string' ? event.data : '<binary>';
    const waiter = waiting.shift();
    if (waiter) waiter(frame);
    else frames.push(frame);
  });
  await within(
    'end user open',
    new Promise((resolve, reject) => {
      ws.addEventListener('open', resolve, { once: true });
      ws.addEventListener('error', () => reject(new Error('end user socket failed')), { once: true });
    }),
  );
  const next = () =>
    within(
      'end user frame',
      frames.length > 0
        ? Promise.resolve(frames.shift() as string)
        : new Promise<string>((resolve) => waiting.push(resolve)),
    );
  return { ws, next };
}

async function main(): Promise<void> {
  const client = await within(
    'connect',
    connect(mesh.apiUrl, {
      dialect: 'v1.0.3',
      heartbeat: false,
      reconnect: { minDelayMs: 10, maxDelayMs: 50 },
    }),
  );
  const states: ClientState[] = [];
  client.on('state', ({ to }) => states.push(to));
  report('connect', client.state);
  report('ping', (await within('ping', client.ping())).rttMs >= 0);

  // The form every README teaches: a subscription that keeps its topic popped, across reconnections.
  const subscription = client.consume('foo');
  const nextOf = async (stream: AsyncIterator<QueueMessage, undefined>): Promise<QueueMessage> => {
    const { value, done } = await within('queue message', stream.next());
    if (done) throw new Error('the message stream ended');
    return value;
  };
  const user = await endUser(mesh.protocolUrl);
  user.ws.send('hello from the end user');
  const msg = await nextOf(subscription);
  const data = msg.data as { msg?: unknown };
  if (data.msg !== 'hello from the end user')
    throw new Error(`unexpected message ${JSON.stringify(msg.data)}`);
  report('consume', { topic: msg.topic, clientId: msg.clientId });

  await within('subscribe', msg.subscribe('runtime-room'));
  const published = await within('publish', client.publish('runtime-room', 'to the room'));
  if (published.success !== 1) throw new Error(`publish reached ${published.success} connections`);
  if ((await user.next()) !== 'to the room') throw new Error('the end user got another frame');
  report('publish', published);

  const reopened = new Promise<void>((resolve) => {
    const off = client.on('state', ({ from, to }) => {
      if (from === 'reconnecting' && to === 'open') {
        off();
        resolve();
      }
    });
  });
  const dropped = await fetch(mesh.dropUrl, { method: 'POST' });
  await dropped.text();
  await within('reconnect', reopened);
  user.ws.send('after the reconnect');
  const again = await nextOf(subscription);
  if ((again.data as { msg?: unknown }).msg !== 'after the reconnect')
    throw new Error('the subscription was not popped again on the new socket');
  report('reconnect', states.includes('reconnecting'));

  // The older pair still works once the subscription is gone: pop() then messages().
  await within('subscription close', subscription.close());
  if (!(await within('subscription end', subscription.next())).done)
    throw new Error('close() did not end the subscription');
  await within('pop', client.pop('foo'));
  const stream = client.messages({ topic: 'foo' });
  user.ws.send('to pop and messages');
  const popped = await nextOf(stream);
  if ((popped.data as { msg?: unknown }).msg !== 'to pop and messages')
    throw new Error(`unexpected message ${JSON.stringify(popped.data)}`);
  report('pop + messages', { topic: popped.topic });

  const rest = createRestClient({ url: mesh.restUrl });
  const viaRest = await within('rest publish', rest.publish('runtime-room', 'over rest'));
  if (viaRest.success !== 1 || (await user.next()) !== 'over rest')
    throw new Error('REST publish did not arrive');
  report('rest', viaRest);

  const ended = within('stream end', stream.next());
  await within('close', client.close());
  if (client.state !== 'closed' || !(await ended).done)
    throw new Error('close did not end the client and its stream');
  report('close', client.state);
  user.ws.close();
}

main().then(
  () => report('done'),
  (error: unknown) => {
    console.log(
      JSON.stringify({
        step: 'failed',
        detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      }),
    );
    setExitCode(1);
  },
);
