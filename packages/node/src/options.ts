import type { Agent } from 'node:http';
import type { SecureContextOptions } from 'node:tls';

/** HTTP Basic credentials, sent in the `Authorization` header of the upgrade request. */
export interface BasicAuth {
  username: string;
  password: string;
}

/** Options of `nodeTransport()`: what `ws` needs to reach an engine from Node. */
export interface NodeTransportOptions {
  /**
   * Extra HTTP headers sent with the upgrade request.
   * @default {}
   */
  headers?: Record<string, string> | undefined;
  /**
   * HTTP Basic credentials for the upgrade request. Takes precedence over `user:pass@` in the URL
   * and over an `Authorization` entry in `headers`.
   * @default undefined (credentials in the URL are used if there are any)
   */
  auth?: BasicAuth | undefined;
  /**
   * Certificate authorities trusted for `wss://` (PEM), in place of Node's bundled list.
   * @default undefined (Node's bundled CAs)
   */
  ca?: SecureContextOptions['ca'] | undefined;
  /**
   * Client certificate chain (PEM) for engines that require mutual TLS.
   * @default undefined
   */
  cert?: SecureContextOptions['cert'] | undefined;
  /**
   * Private key (PEM) of the client certificate.
   * @default undefined
   */
  key?: SecureContextOptions['key'] | undefined;
  /**
   * Passphrase of `key`, if it is encrypted.
   * @default undefined
   */
  passphrase?: string | undefined;
  /**
   * Whether a `wss://` server certificate must be valid for the host and signed by a trusted CA.
   * Turn it off only for a test engine: prefer passing its certificate as `ca`.
   * @default true
   */
  rejectUnauthorized?: boolean | undefined;
  /**
   * HTTP agent for the upgrade request, e.g. a proxy agent.
   * @default undefined (a direct connection)
   */
  agent?: Agent | undefined;
  /**
   * Largest frame accepted from the engine, in bytes. A larger frame closes the connection
   * (code 1009) and is reported as a `ProtocolError` naming this option.
   * @default 16 MiB (NODE_TRANSPORT_DEFAULTS.maxPayload)
   */
  maxPayload?: number | undefined;
  /**
   * How long the TCP, TLS and HTTP upgrade may take before the attempt fails.
   * @default 10_000
   */
  handshakeTimeoutMs?: number | undefined;
  /**
   * WebSocket subprotocols offered to the server.
   * @default undefined (none)
   */
  protocols?: string | string[] | undefined;
}

/**
 * Defaults of `nodeTransport()`. 16 MiB is far above any frame the engine API sends (a queue
 * event carries one end-user message plus its context), yet it stops a runaway frame long before
 * `ws`'s own 100 MiB limit.
 */
export const NODE_TRANSPORT_DEFAULTS = {
  maxPayload: 16 * 1024 * 1024,
  handshakeTimeoutMs: 10_000,
  rejectUnauthorized: true,
} as const;
