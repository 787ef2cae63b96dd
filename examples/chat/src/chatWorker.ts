import { connect, type Client, type QueueMessage } from '@connmix/node';
import { discoverEngines } from './discovery.ts';
import { isLoginAttempt, LOBBY, parseCommand, TOPICS, type ChatEvent } from './protocol.ts';

export interface ChatWorker {
  /** One client per engine: queues live in each engine's memory. */
  readonly clients: readonly Client[];
  close(): Promise<void>;
}

export interface ChatWorkerOptions {
  /** The center's HTTP API, to discover the engines. */
  centerUrl: string;
  /** Where the worker says what it does. */
  log?: ((line: string) => void) | undefined;
}

/**
 * The chat's worker: consumes the `chat` topic on every engine, logs users in (sets their
 * `uid` and subscribes them to the lobby) and publishes what they say to their room.
 */
export async function startChatWorker({ centerUrl, log = () => {} }: ChatWorkerOptions): Promise<ChatWorker> {
  const engines = await discoverEngines(centerUrl);
  const clients = await Promise.all(engines.map((engine) => connect(engine.apiUrl)));
  const loops = clients.map(async (client, i) => {
    client.on('error', (event) => log(`engine ${engines[i]?.id}: ${event.kind}: ${event.error.message}`));
    await client.pop(TOPICS.chat);
    for await (const message of client.messages({ topic: TOPICS.chat })) {
      await handle(client, message, (line) => log(`engine ${engines[i]?.id}: ${line}`)).catch(
        (error: unknown) => log(`could not handle a message: ${String(error)}`),
      );
    }
  });
  return {
    clients,
    async close() {
      await Promise.all(clients.map((client) => client.close()));
      await Promise.allSettled(loops);
    },
  };
}

async function handle(client: Client, message: QueueMessage, log: (line: string) => void): Promise<void> {
  const { ctx, msg } = message.data as { ctx: Record<string, unknown> | []; msg: string };
  const uid = Array.isArray(ctx) ? undefined : ctx['uid'];
  const command = parseCommand(msg);
  const reply = (event: ChatEvent) => message.reply(JSON.stringify(event));

  if (command === undefined) {
    // A refused login still answers the entry, which holds the connection until `uid` is set.
    if (isLoginAttempt(msg) && !uid) await message.setContextValue('uid', '');
    await reply({ type: 'error', text: 'unknown command, or a name that is not 1 to 24 letters or digits' });
    return;
  }
  switch (command.op) {
    case 'login': {
      if (typeof uid === 'string' && uid !== '') {
        await reply({ type: 'error', text: `already logged in as ${uid}` });
        return;
      }
      // Setting the uid releases the connection, which the entry holds until it is set.
      await message.setContextValue('uid', command.name);
      await message.subscribe(LOBBY);
      await reply({ type: 'welcome', name: command.name, room: LOBBY });
      const joined: ChatEvent = { type: 'joined', name: command.name, room: LOBBY };
      await client.publish(LOBBY, JSON.stringify(joined));
      log(`${command.name} logged in (client ${message.clientId})`);
      return;
    }
    case 'say': {
      if (typeof uid !== 'string' || uid === '') {
        await reply({ type: 'error', text: 'log in first: {"op":"login","name":"..."}' });
        return;
      }
      const room = command.room ?? LOBBY;
      const said: ChatEvent = { type: 'said', name: uid, room, text: command.text };
      const { success, total } = await client.publish(room, JSON.stringify(said));
      log(`${uid} in ${room}: ${command.text} (delivered to ${success} of ${total})`);
      return;
    }
  }
}
