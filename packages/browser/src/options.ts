/** The constructor of a platform `WebSocket` (or of anything that behaves like one). */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;

/** Options of `browserTransport()`. */
export interface BrowserTransportOptions {
  /**
   * WebSocket subprotocols offered to the server.
   * @default undefined (none)
   */
  protocols?: string | string[] | undefined;
  /**
   * The `WebSocket` class to use, for a runtime with none built in or to wrap the platform's.
   * @default globalThis.WebSocket
   */
  WebSocket?: WebSocketConstructor | undefined;
}
