// Runs in its own Node process (started by global-setup.ts): a v1.0.3 dev mesh behind a CORS
// proxy, with one end user in a room, for the browser tests of the REST client. It prints what
// the tests need as one JSON line and stops when its stdin closes. A process of its own, because
// the dev mesh resolves `@connmix/core` to its source, which the global setup's runner does not.
import { startDevMesh } from '../../../devmesh/src/index.ts';
import { closeAllClients, joinUser } from '@connmix/test-support/wsClients';
import { startCorsProxy } from './corsProxy.ts';

export interface RestMesh {
  /** REST base URL of an engine, through the proxy. */
  live: string;
  /** The same for an engine that never answers. */
  frozen: string;
  /** An end user on `live`, subscribed to `room`. */
  clientId: string;
  room: string;
  username: string;
  password: string;
}

const credentials = { username: 'browser-publisher', password: 'pw-in-the-browser' };
const mesh = await startDevMesh({
  engines: 2,
  dialect: 'v1.0.3',
  access: { users: [{ ...credentials, roles: ['write'] }] },
});
const [live, frozen] = mesh.engines;
const user = await joinUser(live!);
const room = 'browser-room';
live!.client(user.clientId)!.subscribe(room);
frozen!.freeze();
const proxy = await startCorsProxy({
  live: `http://${live!.apiAddress}`,
  frozen: `http://${frozen!.apiAddress}`,
});
const ready: RestMesh = {
  live: proxy.urls['live']!,
  frozen: proxy.urls['frozen']!,
  clientId: user.clientId,
  room,
  ...credentials,
};
process.stdout.write(`${JSON.stringify(ready)}\n`);

process.stdin.resume();
process.stdin.on('end', () => {
  void (async () => {
    await proxy.close();
    await closeAllClients();
    await mesh.close();
    process.exit(0);
  })();
});
