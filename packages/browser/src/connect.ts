import { connectClient, type Client, type ConnectOptions } from '@connmix/core';
import { browserTransport } from './browserTransport.ts';

/**
 * Creates a client over the platform `WebSocket` (`browserTransport()` unless `transport` is
 * given) and resolves once it is open. If it cannot open, the client is closed and the promise
 * rejects.
 *
 * @example
 * const client = await connect('wss://gateway.example/ws/v1');
 * await client.pop('chat');
 */
export async function connect(url: string, options: ConnectOptions = {}): Promise<Client> {
  return connectClient(url, { ...options, transport: options.transport ?? browserTransport() });
}
