// The public surface of `@connmix/node`: its own exports, then the core API re-exported by
// name, so that an application installs this one package. The zod schemas stay behind
// `@connmix/core/schema`; only their types are re-exported here.
export { connect } from './connect.ts';
export { nodeTransport } from './nodeTransport.ts';
export { NODE_TRANSPORT_DEFAULTS } from './options.ts';
export {
  AbortError,
  CLIENT_DEFAULTS,
  ConnectionClosedError,
  ConnmixError,
  createClient,
  createCodec,
  DEFAULT_DIALECT,
  ErrorCode,
  isConnmixError,
  ProtocolError,
  ServerError,
  TimeoutError,
  ValidationError,
} from '@connmix/core';

export type { ConnectOptions } from './connect.ts';
export type { BasicAuth, NodeTransportOptions } from './options.ts';
export type {
  AbortSignalLike,
  CallOptions,
  Client,
  ClientErrorEvent,
  ClientEventHandler,
  ClientEvents,
  ClientId,
  ClientOptions,
  ClientState,
  Codec,
  CodecOptions,
  ConnmixErrorOptions,
  DeliveryResult,
  Dialect,
  ErrorIncoming,
  HeartbeatOptions,
  IdentifiedRequest,
  Incoming,
  MessagesOptions,
  MessageStream,
  MessageType,
  Method,
  MethodResult,
  MethodResults,
  NamesAndOptions,
  OutgoingRequest,
  PingResult,
  PongIncoming,
  QueueEventIncoming,
  QueueMessage,
  QueueMessageData,
  ReconnectOptions,
  ResponseIncoming,
  StateChange,
  SuccessResult,
  Transport,
  TransportCloseInfo,
  TransportFactory,
  TransportHandlers,
  UnknownEventIncoming,
  ValidationIssue,
} from '@connmix/core';
