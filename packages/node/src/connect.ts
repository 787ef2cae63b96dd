import {
  createClient,
  type AbortSignalLike,
  type Client,
  type ClientOptions,
  type TransportFactory,
} from '@connmix/core';
import { nodeTransport } from './nodeTransport.ts';

/** Options of `connect()`: every client option, with the transport made for you. */
export interface ConnectOptions extends Omit<ClientOptions, 'url' | 'transport'> {
  /**
   * Opens the sockets.
   * @default nodeTransport(): credentials in the URL become HTTP Basic auth
   */
  transport?: TransportFactory | undefined;
  /**
   * Aborts the wait for the first connection (the client is then closed).
   * @default undefined
   */
  signal?: AbortSignalLike | undefined;
  /**
   * Deadline for the first connection, retries included; past it the client is closed.
   * @default undefined: with `reconnect` on, it waits until the engine can be reached
   */
  timeoutMs?: number | undefined;
}

/**
 * Creates a client over `ws` (`nodeTransport()`) and resolves once it is open. If it cannot
 * open (with `reconnect: false`, at the first failure; otherwise when `timeoutMs` passes), the
 * client is closed and the promise rejects.
 *
 * @example
 * const client = await connect('ws://worker:secret@127.0.0.1:6789/ws/v1');
 * await client.pop('chat');
 */
export async function connect(url: string, options: ConnectOptions = {}): Promise<Client> {
  const { transport, signal, timeoutMs, ...clientOptions } = options;
  const client = createClient({ ...clientOptions, url, transport: transport ?? nodeTransport() });
  try {
    await client.connect({ signal, timeoutMs });
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}
