import { connectClient, type Client, type ConnectOptions } from '@connmix/core';
import { nodeTransport } from './nodeTransport.ts';

/**
 * Creates a client over `ws` (`nodeTransport()` unless `transport` is given: credentials in the
 * URL become HTTP Basic auth) and resolves once it is open. If it cannot open, the client is
 * closed and the promise rejects.
 *
 * @example
 * const client = await connect('ws://worker:secret@127.0.0.1:6789/ws/v1');
 * await client.pop('chat');
 */
export async function connect(url: string, options: ConnectOptions = {}): Promise<Client> {
  return connectClient(url, { ...options, transport: options.transport ?? nodeTransport() });
}
