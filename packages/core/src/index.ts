// The public surface of `@connmix/core`. Each export is named here once. The zod schemas are
// values of `@connmix/core/schema` only: here they are types, so the client never loads zod.
export { createClient } from './client/createClient.ts';
export { connectClient } from './client/connectClient.ts';
export { CLIENT_DEFAULTS } from './client/options.ts';
export { createCluster } from './cluster/createCluster.ts';
export { CLUSTER_DEFAULTS } from './cluster/options.ts';
export { openCluster } from './cluster/openCluster.ts';
export { createCodec, DEFAULT_DIALECT } from './codec/codec.ts';
export { ErrorCode } from './errors/errorCode.ts';
export { REST_DEFAULTS } from './rest/options.ts';
export { createRestClient } from './rest/restClient.ts';
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

export type { ConnectOptions } from './client/connectClient.ts';
export type { AbortSignalLike } from './runtime/abort.ts';
export type { NamesAndOptions } from './client/arguments.ts';
export type {
  Client,
  ConsumeArguments,
  ConsumeOptions,
  MessagesOptions,
  MessageStream,
  PingResult,
  Subscription,
} from './client/client.ts';
export type {
  ClientErrorEvent,
  ClientEventHandler,
  ClientEvents,
  ClientState,
  StateChange,
} from './client/events.ts';
export type { CallOptions, ClientOptions, HeartbeatOptions, ReconnectOptions } from './client/options.ts';
export type { QueueMessage } from './client/queueMessage.ts';
export type {
  Cluster,
  ClusterMessageStream,
  ClusterNamesAndOptions,
  ClusterPingResult,
  ClusterSubscription,
} from './cluster/cluster.ts';
export type {
  ClusterErrorEvent,
  ClusterEventHandler,
  ClusterEvents,
  ClusterMessage,
  ClusterNode,
  NodesEvent,
} from './cluster/events.ts';
export type { ConnectClusterOptions } from './cluster/openCluster.ts';
export type {
  ClusterCallOptions,
  ClusterOptions,
  DiscoveredNode,
  FetchInit,
  FetchLike,
  FetchResponseLike,
  StaticNode,
} from './cluster/options.ts';
export type { Codec, CodecOptions } from './codec/codec.ts';
export type { ConnmixErrorOptions, ValidationIssue } from './errors/errors.ts';
export type {
  ClientId,
  DeliveryResult,
  Dialect,
  ErrorIncoming,
  IdentifiedRequest,
  Incoming,
  MessageType,
  Method,
  MethodResult,
  MethodResults,
  OutgoingRequest,
  PongIncoming,
  QueueEventIncoming,
  QueueMessageData,
  ResponseIncoming,
  SuccessResult,
  UnknownEventIncoming,
} from './schema/index.ts';
export type {
  Channel,
  ConnCallRequest,
  MeshPublishRequest,
  MeshSendRequest,
  NodeId,
  QueuePopRequest,
  QueueUnpopRequest,
  ServerPingRequest,
  Topic,
} from './schemaTypes.ts';
export type { RestAuth } from './rest/basicAuth.ts';
export type { RestFetch, RestFetchInit, RestFetchResponse } from './rest/fetchTypes.ts';
export type { RestClientOptions } from './rest/options.ts';
export type { RestClient } from './rest/restClient.ts';
export type {
  Transport,
  TransportCloseInfo,
  TransportFactory,
  TransportHandlers,
} from './transport/transport.ts';
