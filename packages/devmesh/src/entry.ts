import type { IncomingHttpHeaders } from 'node:http';

/** One end-user connection as the entry hooks see it (the Lua script's `conn`). */
export interface EntryConnection {
  /** The connection's 64-bit snowflake id, as a decimal string. */
  readonly clientId: string;
  /** Node id of the engine that holds the connection. */
  readonly node: string;
  /** Headers and path of the WebSocket handshake, and the peer's address. */
  readonly headers: Readonly<IncomingHttpHeaders>;
  readonly path: string;
  readonly remoteAddress: string;
  /** A copy of the context map (what workers set with `conn.call`). */
  context(): Record<string, unknown>;
  contextValue(key: string): unknown;
  /** Replaces the whole context map. */
  setContext(context: Record<string, unknown>): void;
  setContextValue(key: string, value: unknown): void;
  /**
   * Resolves with the value of `key` once it is set (at once if it is). The connection's next
   * message waits until this hook returns, which is how the login flow holds a connection until
   * a worker has set its `uid`. Rejects when the connection closes or after `timeoutMs`.
   */
  waitContextValue(key: string, options?: { timeoutMs?: number | undefined }): Promise<unknown>;
  /** Channels the connection is subscribed to. */
  channels(): string[];
  subscribe(...channels: string[]): void;
  unsubscribe(...channels: string[]): void;
  /** Sends a frame to the end user: a string as a text frame, bytes as a binary frame. */
  send(data: string | Uint8Array): void;
  close(code?: number, reason?: string): void;
}

/** A frame an end user sent. */
export type EntryMessage = { type: 'text'; data: string } | { type: 'binary'; data: Uint8Array };

/** What every hook gets: the connection and the engine's queue (`mix.queue.push`). */
export interface EntryEvent {
  conn: EntryConnection;
  /**
   * Pushes `data` (any JSON value) onto a queue topic of this engine. When the topic is full it
   * waits or rejects, as `queue.whenFull` says.
   */
  push(topic: string, data: unknown): Promise<void>;
  /** `mix.mesh.send`: a frame to an end user of any engine; false when it is not delivered. */
  meshSend(clientId: string, data: string | Uint8Array): boolean;
  /** `mix.mesh.publish`: a frame to every subscriber of `channel`, on every engine. */
  meshPublish(channel: string, data: string | Uint8Array): { success: number; fail: number };
}

/**
 * The JS counterpart of the engine's Lua entry script. Hooks run one at a time per connection,
 * in arrival order; a hook that throws closes that connection with code 1011.
 */
export interface Entry {
  /**
   * `websocket`: the mesh speaks WebSocket to end users and hands the entry frames. `socket`: the
   * entry gets the raw TCP bytes in `onData` and parses them itself (the engine's
   * `protocol: socket`, and every v1.0.2 Lua script); what workers send goes through `encode`.
   * @default 'websocket'
   */
  readonly protocol?: 'websocket' | 'socket' | undefined;
  /** After the WebSocket handshake (`socket`: once the TCP connection is accepted), before anything else. */
  onHandshake?(event: EntryEvent): void | Promise<void>;
  /** For every frame the end user sends. */
  onMessage?(event: EntryEvent & { message: EntryMessage }): void | Promise<void>;
  /** `socket` only: bytes the end user sent, as they arrived. */
  onData?(event: EntryEvent & { data: Uint8Array }): void | Promise<void>;
  /** `socket` only: frames what a worker sends to this end user; undefined or empty fails the send. */
  encode?(event: EntryEvent & { data: string | Uint8Array }): string | Uint8Array | undefined;
  /** Once the connection has closed (sending and waiting no longer work). */
  onClose?(event: EntryEvent & { code: number; reason: string }): void | Promise<void>;
  /** A hook threw (the engine logs it; here it is yours to report). Counted in `stats().counters.hookErrors`. */
  onError?(event: EntryEvent & { hook: EntryHookName; error: unknown }): void;
}

export type EntryHookName = 'onHandshake' | 'onMessage' | 'onData' | 'onClose' | 'encode';

/** An empty Lua table is encoded as `[]`: the engine sends an empty context as `[]`, not `{}`. */
export function asLuaTable(value: Record<string, unknown>): Record<string, unknown> | [] {
  return Object.keys(value).length === 0 ? [] : value;
}

/**
 * The default entry, as the protocol's example shows: every frame is pushed to topic `foo` as
 * `{ ctx, msg }`, with the connection's context (`[]` while empty) and the frame's text (a binary
 * frame as base64).
 */
export const defaultEntry: Entry = {
  async onMessage({ conn, message, push }) {
    const msg = message.type === 'text' ? message.data : Buffer.from(message.data).toString('base64');
    await push('foo', { ctx: asLuaTable(conn.context()), msg });
  },
};
