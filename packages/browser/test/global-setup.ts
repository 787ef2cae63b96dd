// Runs in Node before the browser tests: starts the protocol test server they connect to.
import type { TestProject } from 'vitest/node';
import { startProtocolServer } from '../../node/test/support/protocolServer.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `ws://127.0.0.1:PORT/ws/v1` of the protocol test server; its control endpoints share the port. */
    serverUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startProtocolServer();
  project.provide('serverUrl', server.url);
  return () => server.close();
}
