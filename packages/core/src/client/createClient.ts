import type { Client } from './client.ts';
import { ConnmixClient } from './connmixClient.ts';
import type { ClientOptions } from './options.ts';

/**
 * Creates a client; nothing is opened until `connect()` or the first call.
 * @example
 * const client = createClient({ url: 'ws://127.0.0.1:6789/ws/v1', transport: nodeTransport() });
 * await client.connect();
 */
export function createClient(options: ClientOptions): Client {
  return new ConnmixClient(options);
}
