import { connectCluster, type Cluster, type ClusterMessage, type ClusterNode } from '@connmix/node';
import { MessageRate } from './messageRate.ts';
import { Presence, type OnlineUser } from './presence.ts';
import {
  DEMO_PASSWORD,
  isLoginAttempt,
  LOBBY,
  LOGIN_REFUSED,
  loggedInName,
  parseCommand,
  ROOMS,
  TOPICS,
  type ActivityEvent,
  type ChatEvent,
} from './protocol.ts';

/** What every dashboard shows: the worker's own view, the same for every tab. */
export interface ChatSnapshot {
  /** Everyone logged in, by name. */
  online: Array<Omit<OnlineUser, 'clientId'>>;
  /** Messages relayed since the worker started. */
  messages: number;
  /** Per engine, messages relayed per second over the last minute, oldest first. */
  rates: Record<string, number[]>;
  /** The last announcement a dashboard published, and how many connections received it. */
  lastAnnouncement?: AnnouncementReport | undefined;
}

/** What a dashboard reports after publishing an announcement. */
export interface AnnouncementReport {
  room: string;
  text: string;
  success: number;
  total: number;
}

export interface ChatWorker {
  /** The cluster client: one engine client per engine the center lists, joined and left as it changes. */
  readonly cluster: Cluster;
  snapshot(): ChatSnapshot;
  /** Calls `listener` after every change of the snapshot; returns the unsubscribe. */
  onChange(listener: () => void): () => void;
  /** Records an announcement a dashboard published, so every dashboard and the log show it. */
  announced(report: AnnouncementReport): void;
  close(): Promise<void>;
}

export interface ChatWorkerOptions {
  /** The center's HTTP API, to discover the engines. */
  center: string;
  /** Where the worker says what it does. */
  log?: ((line: string) => void) | undefined;
  /** The clock of the messages-per-second chart. @default Date.now */
  now?: (() => number) | undefined;
}

/**
 * The chat's worker: the one consumer (`cluster.consume`) of the `chat` and `activity` topics on every engine. It logs
 * users in (sets their `uid`, subscribes them to a room, welcomes them), relays what they say to
 * their room across engines, and keeps who is online.
 */
export async function startChatWorker({
  center,
  log = () => {},
  now,
}: ChatWorkerOptions): Promise<ChatWorker> {
  // A dev mesh restarts engines in a second: find them again quickly, and give up on a call fast.
  const cluster = await connectCluster({
    center,
    resyncIntervalMs: 5_000,
    requestTimeoutMs: 5_000,
    reconnect: { minDelayMs: 200, maxDelayMs: 2_000 },
  });
  const presence = new Presence();
  const rate = new MessageRate(now);
  const listeners = new Set<() => void>();
  let messages = 0;
  let lastAnnouncement: AnnouncementReport | undefined;
  const changed = () => {
    for (const listener of listeners) listener();
  };

  const publish = (room: string, event: ChatEvent) => cluster.publish(room, JSON.stringify(event));
  const publishPresence = (room: string) =>
    publish(room, { type: 'presence', room, members: presence.members(room) });

  const states = new Map<string, ClusterNode['state']>();
  const onNodes = (nodes: ClusterNode[]) => {
    for (const node of nodes) {
      const before = states.get(node.id);
      if (before === node.state) continue;
      states.set(node.id, node.state);
      rate.track(node.id);
      if (node.state === 'open') log(`engine ${node.id} is up (${node.url})`);
      else if (before === 'open') {
        log(`engine ${node.id} is down (${node.state})`);
        // Its end users were dropped with it; their leaves were in its queue, which is gone.
        const gone = presence.removeNode(node.id);
        for (const user of gone) log(`${user.name} left ${user.room} (engine ${node.id} went down)`);
        void Promise.allSettled([...new Set(gone.map((user) => user.room))].map(publishPresence));
      }
    }
    for (const id of states.keys()) {
      if (!nodes.some((node) => node.id === id)) {
        states.delete(id);
        log(`engine ${id} left the cluster`);
      }
    }
    changed();
  };
  cluster.on('nodes', ({ nodes }) => onNodes(nodes));
  cluster.on('error', ({ kind, error }) => log(`${kind}: ${error.message}`));
  onNodes(cluster.nodes);

  async function handleActivity(message: ClusterMessage): Promise<void> {
    const activity = message.data as ActivityEvent;
    if (activity.event !== 'leave') return;
    const user = presence.remove(activity.clientId);
    if (!user) return;
    log(`${user.name} left ${user.room} (engine ${user.node})`);
    changed();
    await publish(user.room, { type: 'left', name: user.name, room: user.room });
    await publishPresence(user.room);
  }

  async function handleChat(message: ClusterMessage): Promise<void> {
    const { ctx, msg } = message.data as { ctx: Record<string, unknown> | []; msg: string };
    const name = loggedInName(Array.isArray(ctx) ? undefined : ctx['uid']);
    const tell = (event: ChatEvent) =>
      cluster.send(message.clientId, JSON.stringify(event), { node: message.node });
    const command = parseCommand(msg);
    if (command === undefined) {
      if (isLoginAttempt(msg) && name === undefined) {
        await message.setContextValue('uid', LOGIN_REFUSED);
        await tell({ type: 'refused', text: 'a name is 1 to 24 letters, digits, _ or -' });
        return;
      }
      await tell({ type: 'error', text: 'unknown command' });
      return;
    }
    switch (command.op) {
      case 'login': {
        if (name !== undefined) {
          await tell({ type: 'error', text: `already logged in as ${name}` });
          return;
        }
        if (command.password !== DEMO_PASSWORD) {
          // The refusal releases the entry's wait like a uid would; the entry then forgets it.
          await message.setContextValue('uid', LOGIN_REFUSED);
          await tell({ type: 'refused', text: `wrong password for ${command.name}` });
          log(`refused a login as ${command.name} (wrong password) on engine ${message.node}`);
          return;
        }
        // Setting the uid releases the connection, which the entry holds until it is set.
        await message.setContextValue('uid', command.name);
        await message.subscribe(LOBBY);
        presence.set({ clientId: message.clientId, name: command.name, node: message.node, room: LOBBY });
        log(`${command.name} joined ${LOBBY} (engine ${message.node})`);
        changed();
        await tell({ type: 'welcome', name: command.name, room: LOBBY, rooms: ROOMS });
        await publish(LOBBY, { type: 'joined', name: command.name, room: LOBBY });
        await publishPresence(LOBBY);
        return;
      }
      case 'join': {
        const user = name === undefined ? undefined : presence.get(message.clientId);
        if (!user) {
          await tell({ type: 'error', text: 'log in first' });
          return;
        }
        if (user.room === command.room) return;
        const from = user.room;
        await message.unsubscribe(from);
        await message.subscribe(command.room);
        presence.set({ ...user, room: command.room });
        log(`${user.name} moved from ${from} to ${command.room}`);
        changed();
        await publish(from, { type: 'left', name: user.name, room: from });
        await publishPresence(from);
        await publish(command.room, { type: 'joined', name: user.name, room: command.room });
        await publishPresence(command.room);
        return;
      }
      case 'say': {
        if (name === undefined) {
          await tell({ type: 'error', text: 'log in first' });
          return;
        }
        const room = presence.get(message.clientId)?.room ?? LOBBY;
        // Counted before it goes out, so that whoever receives it sees it counted.
        messages++;
        rate.count(message.node);
        changed();
        await publish(room, { type: 'said', name, room, text: command.text });
        return;
      }
      case 'ping':
        // The entry answers keepalives itself; one that reaches the queue needs nothing either.
        return;
    }
  }

  // Buffering starts before the pops go out, on every engine and on every engine that joins.
  const subscription = cluster.consume(TOPICS.chat, TOPICS.activity);
  const loop = (async () => {
    for await (const message of subscription) {
      const handle = message.topic === TOPICS.activity ? handleActivity : handleChat;
      await handle(message).catch((error: unknown) =>
        log(`could not handle a ${message.topic} message from engine ${message.node}: ${String(error)}`),
      );
    }
  })();

  return {
    cluster,
    snapshot: () => ({
      online: presence.list().map(({ clientId: _id, ...user }) => user),
      messages,
      rates: rate.snapshot(),
      lastAnnouncement,
    }),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    announced(report) {
      lastAnnouncement = report;
      log(
        `announcement to ${report.room}: ${JSON.stringify(report.text)} reached ${report.success} of ${report.total}`,
      );
      changed();
    },
    async close() {
      listeners.clear();
      await subscription.close();
      await cluster.close();
      await loop;
    },
  };
}
