// `@connmix/core/schema`: the zod schemas and inferred types only, for services that validate
// connmix traffic without the client.
export { Channel, ClientId, Dialect, MessageType, NodeId, RequestId, Topic } from './primitives.ts';
export {
  ConnCallRequest,
  IdentifiedRequest,
  MeshPublishRequest,
  MeshSendRequest,
  OutgoingRequest,
  QueuePopRequest,
  QueueUnpopRequest,
  ServerPingRequest,
} from './requests.ts';
export {
  ErrorIncoming,
  Incoming,
  PongIncoming,
  QueueEventIncoming,
  QueueMessageData,
  ResponseIncoming,
  UnknownEventIncoming,
} from './incoming.ts';
export {
  CountedWireResult,
  DeliveryResult,
  FlagWireResult,
  MethodResultSchemas,
  PingWireResult,
  PublishWireResultV103,
  SuccessResult,
} from './results.ts';
export { WireFrame, WireError, WireOtherEvent, WireQueueEvent, WireResponse } from './wire.ts';
export { WireRequest, WireRequestV102, WireRequestV103 } from './wireRequest.ts';

export type { Method } from './requests.ts';
export type { MethodResult, MethodResults } from './results.ts';
