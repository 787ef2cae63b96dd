import WebSocket from 'ws';
import type { ChatEvent } from './protocol.ts';

/** An end user of the chat (what a browser or an app would be), over the protocol server. */
export interface ChatUser {
  readonly name: string;
  /** Every event received so far, in order. */
  readonly received: ChatEvent[];
  send(command: object): void;
  /** Whether the socket is still open. */
  readonly open: boolean;
  /** Resolves once the socket has closed, by either side. */
  readonly closed: Promise<void>;
  /** Resolves with the first received event (from now on or already received) that matches. */
  waitFor(match: (event: ChatEvent) => boolean, timeoutMs?: number): Promise<ChatEvent>;
  close(): Promise<void>;
}

export interface ChatUserOptions {
  /** Sends a WebSocket ping this often, to stay past the engine's idle limit; 0 sends none. @default 20000 */
  keepaliveMs?: number | undefined;
}

export async function connectChatUser(
  protocolUrl: string,
  name: string,
  { keepaliveMs = 20_000 }: ChatUserOptions = {},
): Promise<ChatUser> {
  const socket = new WebSocket(protocolUrl);
  const keepalive = keepaliveMs > 0 ? setInterval(() => socket.ping(), keepaliveMs) : undefined;
  socket.once('close', () => clearInterval(keepalive));
  // A socket error is followed by 'close', which is what callers watch; without a listener it would throw.
  socket.on('error', () => {});
  const received: ChatEvent[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    received.push(JSON.parse(String(data)) as ChatEvent);
    for (const wake of waiters) wake();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', (error) => {
      clearInterval(keepalive);
      reject(error);
    });
  });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    name,
    received,
    closed,
    get open() {
      return socket.readyState === WebSocket.OPEN;
    },
    send: (command) => {
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(command));
    },
    waitFor(match, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const event = received.find(match);
          if (!event) return;
          cleanup();
          resolve(event);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(`${name} did not receive the expected event; received ${JSON.stringify(received)}`),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  };
}
