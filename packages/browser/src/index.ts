export { browserTransport } from './browserTransport.ts';
export type { BrowserTransportOptions, WebSocketConstructor } from './options.ts';
