// Runs in Node before the browser tests: starts the protocol test servers they connect to.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { TestProject } from 'vitest/node';
import { startProtocolServer, type ProtocolServerOptions } from '@connmix/test-support/protocolServer';
import type { RestMesh } from './support/restMesh.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `ws://127.0.0.1:PORT/ws/v1` of the v1.0.2 protocol test server; its control endpoints share the port. */
    serverUrl: string;
    /** The same for a v1.0.3 server. */
    serverUrlV103: string;
    /** A v1.0.3 dev mesh for the REST client, behind a CORS proxy (support/restMesh.ts). */
    rest: RestMesh;
  }
}

/**
 * What the browser tests cannot script from the page: `mesh.publish` to channel `close-me` gets a
 * close frame (4001) instead of an answer, and to `never-answer` gets nothing at all.
 */
const script: ProtocolServerOptions['script'] = (request) => {
  if (request.method !== 'mesh.publish') return undefined;
  const params = (Array.isArray(request.params) ? request.params[0] : request.params) as
    { c?: unknown } | undefined;
  if (params?.c === 'close-me') return { close: { code: 4001, reason: 'bye' } };
  if (params?.c === 'never-answer') return { silent: true };
  return undefined;
};

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const v102 = await startProtocolServer({ script });
  const v103 = await startProtocolServer({ script, dialect: 'v1.0.3' });
  project.provide('serverUrl', v102.url);
  project.provide('serverUrlV103', v103.url);
  const rest = await startRestMesh();
  project.provide('rest', rest.mesh);
  return async () => {
    await Promise.all([v102.close(), v103.close(), rest.close()]);
  };
}

async function startRestMesh(): Promise<{ mesh: RestMesh; close(): Promise<void> }> {
  const script = new URL('./support/restMesh.ts', import.meta.url);
  const child = spawn(
    process.execPath,
    ['--conditions=@connmix/source', '--import', 'tsx', script.pathname],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout });
  const [line] = (await Promise.race([once(lines, 'line'), exited.then(() => [undefined])])) as [string?];
  if (line === undefined) throw new Error('the REST dev mesh for the browser tests did not start');
  return {
    mesh: JSON.parse(line) as RestMesh,
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
