import {
  createClient,
  type AbortSignalLike,
  type Client,
  type ClientOptions,
  type TransportFactory,
} from '@connmix/core';
import { browserTransport } from './browserTransport.ts';

/** Options of `connect()`: every client option, with the transport made for you. */
export interface ConnectOptions extends Omit<ClientOptions, 'url' | 'transport'> {
  /**
   * Opens the sockets.
   * @default browserTransport()
   */
  transport?: TransportFactory | undefined;
  /**
   * Aborts the first connection attempt (the client is then closed).
   * @default undefined
   */
  signal?: AbortSignalLike | undefined;
}

/**
 * Creates a client over the platform `WebSocket` and resolves once it is open. If it cannot
 * open, the client is closed and the promise rejects.
 *
 * @example
 * const client = await connect('wss://gateway.example/ws/v1');
 * await client.pop('chat');
 */
export async function connect(url: string, options: ConnectOptions = {}): Promise<Client> {
  const { transport, signal, ...clientOptions } = options;
  const client = createClient({ ...clientOptions, url, transport: transport ?? browserTransport() });
  try {
    await client.connect(signal === undefined ? undefined : { signal });
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}
