// An end user of the dev mesh: a plain WebSocket on an engine's protocol server. With the default
// entry, every text it sends is pushed to topic `foo` as `{ ctx, msg }`.
import { once } from 'node:events';
import WebSocket from 'ws';

export interface EndUser {
  send(text: string): void;
  close(): Promise<void>;
}

export async function joinAsEndUser(protocolUrl: string): Promise<EndUser> {
  const ws = new WebSocket(protocolUrl);
  await once(ws, 'open');
  return {
    send: (text) => ws.send(text),
    async close() {
      if (ws.readyState === WebSocket.CLOSED) return;
      const closed = once(ws, 'close');
      ws.close();
      await closed;
    },
  };
}
