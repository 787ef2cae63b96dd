// Runs in Node and in Chromium: only types from the core.
import type { Client, ClientErrorEvent, ClientState } from '@connmix/core';

/** Every state a client enters and every `error` event it emits, in order, for assertions. */
export function recordClient(client: Client): { states: ClientState[]; errors: ClientErrorEvent[] } {
  const states: ClientState[] = [];
  const errors: ClientErrorEvent[] = [];
  client.on('state', ({ to }) => states.push(to));
  client.on('error', (event) => errors.push(event));
  return { states, errors };
}
