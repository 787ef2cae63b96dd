// The public surface of `@connmix/core`. Each export is named here once.
export { createCodec, DEFAULT_DIALECT } from './codec/codec.ts';
export { ErrorCode } from './errors/errorCode.ts';
export {
  AbortError,
  ConnectionClosedError,
  ConnmixError,
  isConnmixError,
  ProtocolError,
  ServerError,
  TimeoutError,
  ValidationError,
} from './errors/errors.ts';
export {
  Channel,
  ClientId,
  ConnCallRequest,
  DeliveryResult,
  Dialect,
  Incoming,
  MeshPublishRequest,
  MeshSendRequest,
  MessageType,
  MethodResultSchemas,
  NodeId,
  OutgoingRequest,
  QueueMessageData,
  QueuePopRequest,
  QueueUnpopRequest,
  ServerPingRequest,
  SuccessResult,
  Topic,
  WireFrame,
} from './schema/index.ts';

export type { Codec, CodecOptions } from './codec/codec.ts';
export type { ConnmixErrorOptions, ValidationIssue } from './errors/errors.ts';
export type {
  ErrorIncoming,
  IdentifiedRequest,
  Method,
  MethodResult,
  MethodResults,
  PongIncoming,
  QueueEventIncoming,
  ResponseIncoming,
  UnknownEventIncoming,
} from './schema/index.ts';
export type {
  Transport,
  TransportCloseInfo,
  TransportFactory,
  TransportHandlers,
} from './transport/transport.ts';
