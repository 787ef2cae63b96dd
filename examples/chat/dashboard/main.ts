// The live dashboard: a browser page on the engine API. It consumes the `activity` topic of
// every engine (who connects and leaves) and publishes announcements to the lobby.
import { connect, type Client } from '@connmix/browser';
import { LOBBY, TOPICS, type ActivityEvent, type ChatEvent } from '../src/protocol.ts';

const element = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const online = new Map<string, ActivityEvent>();
const clients: Client[] = [];

function log(line: string): void {
  const box = element('log');
  box.textContent = `${new Date().toLocaleTimeString()} ${line}\n${box.textContent ?? ''}`;
}

function render(): void {
  element('engines').textContent = clients.map((client, i) => `#${i + 1} ${client.state}`).join(', ');
  element('online').replaceChildren(
    ...[...online.values()].map((activity) => {
      const row = document.createElement('tr');
      for (const text of [activity.clientId, activity.node]) {
        const cell = document.createElement('td');
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    }),
  );
}

async function watch(apiUrl: string): Promise<void> {
  const client = await connect(apiUrl);
  clients.push(client);
  client.on('state', render);
  client.on('error', ({ kind, error }) => log(`${apiUrl}: ${kind}: ${error.message}`));
  // Queues are competing consumers: the dashboard owns `activity`, the worker owns `chat`.
  await client.pop(TOPICS.activity);
  render();
  for await (const message of client.messages({ topic: TOPICS.activity })) {
    const activity = message.data as ActivityEvent;
    if (activity.event === 'join') online.set(activity.clientId, activity);
    else online.delete(activity.clientId);
    log(
      `${activity.event}: client ${activity.clientId} on node ${activity.node}${activity.uid ? ` (${activity.uid})` : ''}`,
    );
    render();
  }
}

element<HTMLFormElement>('announce').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  const text = String(new FormData(form).get('text'));
  const client = clients.find((candidate) => candidate.state === 'open');
  if (!client) return log('no engine is connected');
  const announcement: ChatEvent = { type: 'announcement', text };
  client
    .publish(LOBBY, JSON.stringify(announcement))
    .then(({ success, total }) => log(`announcement delivered to ${success} of ${total}`))
    .catch((error: unknown) => log(`announcement failed: ${String(error)}`));
  form.reset();
});

const apiUrls = (new URLSearchParams(location.search).get('api') ?? '').split(',').filter(Boolean);
if (apiUrls.length === 0) log('no engine: open this page with ?api=ws://HOST:PORT/ws/v1[,…]');
for (const url of apiUrls) watch(url).catch((error: unknown) => log(`${url}: ${String(error)}`));
