import type { TransportFactory } from '../transport/transport.ts';
import type { AbortSignalLike } from '../runtime/abort.ts';
import type { Client } from './client.ts';
import { createClient } from './createClient.ts';
import type { ClientOptions } from './options.ts';

/** Options of an adapter's `connect(url, options)`: every client option, the transport made for you. */
export interface ConnectOptions extends Omit<ClientOptions, 'url' | 'transport'> {
  /** Opens the sockets. @default the adapter's own transport */
  transport?: TransportFactory | undefined;
  /** Aborts the wait for the first connection (the client is then closed). @default undefined */
  signal?: AbortSignalLike | undefined;
  /**
   * Deadline for the first connection, retries included; past it the client is closed.
   * @default undefined: with `reconnect` on, it waits until the engine can be reached
   */
  timeoutMs?: number | undefined;
}

/**
 * Creates a client and resolves once it is open. If it cannot open (with `reconnect: false`, at
 * the first failure; otherwise when `timeoutMs` passes), the client is closed (no timer or socket
 * is left behind) and the promise rejects. The adapters' `connect()` is this
 * with their transport as the default.
 *
 * @example
 * const client = await connectClient('ws://127.0.0.1:6789/ws/v1', { transport: myTransport() });
 */
export async function connectClient(
  url: string,
  options: ConnectOptions & { transport: TransportFactory },
): Promise<Client> {
  const { signal, timeoutMs, ...clientOptions } = options;
  const client = createClient({ ...clientOptions, url });
  try {
    await client.connect({ signal, timeoutMs });
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}
