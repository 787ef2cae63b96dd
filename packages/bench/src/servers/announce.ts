import type { AddressInfo } from 'node:net';

/** Tells the parent process which port the server got (every server listens on port 0). */
export function announce(address: AddressInfo | string | null): void {
  if (address === null || typeof address === 'string') throw new Error('the server has no TCP port');
  process.send?.({ port: address.port });
}
