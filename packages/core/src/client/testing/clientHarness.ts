import type { Client } from '../client.ts';
import { createClient } from '../createClient.ts';
import type { ClientErrorEvent } from '../events.ts';
import type { ClientOptions } from '../options.ts';
import { createFakeTransport, type FakeSocket, type FakeTransport } from './fakeTransport.ts';
import { quiescence } from './quiescence.ts';

export const TEST_URL = 'ws://127.0.0.1:6789/ws/v1';

export interface Harness {
  client: Client;
  fake: FakeTransport;
  /** Every state change, as `from→to`. */
  states: string[];
  /** Every `error` event. */
  errors: ClientErrorEvent[];
}

/** A client on a fake transport, with its state changes and error events recorded. */
export function startClient(
  options: Partial<Omit<ClientOptions, 'transport'>> & { nativePing?: boolean } = {},
): Harness {
  const { nativePing, ...clientOptions } = options;
  const fake = createFakeTransport({ nativePing });
  const client = createClient({ url: TEST_URL, ...clientOptions, transport: fake.factory });
  const states: string[] = [];
  const errors: ClientErrorEvent[] = [];
  client.on('state', ({ from, to }) => states.push(`${from}→${to}`));
  client.on('error', (event) => errors.push(event));
  return { client, fake, states, errors };
}

/** A client whose first socket is open. */
export async function openClient(
  options: Parameters<typeof startClient>[0] = {},
): Promise<Harness & { socket: FakeSocket }> {
  const harness = startClient(options);
  const connected = harness.client.connect();
  harness.fake.last.open();
  await connected;
  return { ...harness, socket: harness.fake.last };
}

/** Lets every pending promise callback run (without moving fake time). */
export function settle(): Promise<void> {
  return quiescence();
}

/** The state of a promise without waiting for it. */
export async function peek<T>(
  promise: Promise<T>,
): Promise<
  { status: 'pending' } | { status: 'fulfilled'; value: T } | { status: 'rejected'; reason: unknown }
> {
  const pending = { status: 'pending' as const };
  const outcome = await Promise.race([
    promise.then(
      (value) => ({ status: 'fulfilled' as const, value }),
      (reason: unknown) => ({ status: 'rejected' as const, reason }),
    ),
    settle().then(() => pending),
  ]);
  return outcome;
}
