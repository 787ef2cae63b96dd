// `npm start`: the chat on a two-engine dev mesh, its worker, the live dashboard, and two
// simulated users on different engines talking to each other. Stops on Ctrl-C.
import { startDevMesh } from '@connmix/devmesh';
import { connectChatUser } from './chatUser.ts';
import { startChatWorker } from './chatWorker.ts';
import { startDashboard } from './dashboardServer.ts';
import { chatEntry } from './entry.ts';

const say = (line: string) => process.stdout.write(`${line}\n`);

const mesh = await startDevMesh({ engines: 2, entry: chatEntry });
const worker = await startChatWorker({ centerUrl: mesh.center.url, log: (line) => say(`worker: ${line}`) });
const dashboard = await startDashboard(mesh.engines.map((engine) => engine.apiUrl));

say(`dev mesh center    ${mesh.center.url}`);
for (const engine of mesh.engines) {
  say(`engine ${engine.node}  API ${engine.apiUrl}   end users ${engine.protocolUrl}`);
}
say(`dashboard          ${dashboard.url}`);
say('');

const [first, second] = mesh.engines;
const ada = await connectChatUser(first!.protocolUrl, 'ada');
const linus = await connectChatUser(second!.protocolUrl, 'linus');
for (const user of [ada, linus]) {
  user.send({ op: 'login', name: user.name });
  await user.waitFor((event) => event.type === 'welcome');
}
ada.send({ op: 'say', text: `hello from engine ${first!.node}` });
const heard = await linus.waitFor((event) => event.type === 'said' && event.name === 'ada');
say(`linus (engine ${second!.node}) received: ${JSON.stringify(heard)}`);
say('');
say('Running. Join the chat from a browser console:');
say(`  ws = new WebSocket('${first!.protocolUrl}'); ws.onmessage = (e) => console.log(e.data);`);
say(
  `  ws.send(JSON.stringify({ op: 'login', name: 'me' })); ws.send(JSON.stringify({ op: 'say', text: 'hi' }));`,
);
say('Press Ctrl-C to stop.');

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all([ada.close(), linus.close()]);
  await worker.close();
  await dashboard.close();
  await mesh.close();
  say('stopped');
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
