export { nodeTransport } from './nodeTransport.ts';
export { NODE_TRANSPORT_DEFAULTS } from './options.ts';
export type { BasicAuth, NodeTransportOptions } from './options.ts';
