// The scripted engine of the adapter tests (a real `ws` server speaking the engine API, whose
// answers a test can replace), shared here rather than copied.
export {
  DEFAULT_CLIENT_ID,
  startProtocolServer as startScriptedEngine,
} from '@connmix/test-support/protocolServer';
export type {
  ProtocolServer as ScriptedEngine,
  ReceivedRequest,
  Reply,
  ServerConnection,
} from '@connmix/test-support/protocolServer';
