import { connectChatUser, type ChatUser } from './chatUser.ts';
import { DEMO_PASSWORD } from './protocol.ts';

const NAMES = ['ada', 'linus', 'grace', 'ken', 'barbara', 'dennis', 'margaret', 'guido', 'anders', 'brendan'];
const LINES = [
  'anyone around?',
  'the build is green again',
  'which engine are you on?',
  'coffee first, then the release',
  'I moved the worker to the cluster client',
  'did the announcement reach you?',
  'lunch in ten',
  'pushing a fix now',
];

export interface BotsOptions {
  /** End-user URLs of the engines; bot i connects to engine i modulo their number. */
  protocolUrls: readonly string[];
  count: number;
  /** Keepalive of each bot's socket (below the engine's idle limit). */
  keepaliveMs: number;
  /** Each bot says something every `minGapMs` to twice that. @default 2000 */
  minGapMs?: number | undefined;
  log?: ((line: string) => void) | undefined;
}

export interface Bots {
  readonly names: readonly string[];
  stop(): Promise<void>;
}

/** Simulated users that log in and keep talking, so the dashboard is alive without anyone typing. */
export function startBots({
  protocolUrls,
  count,
  keepaliveMs,
  minGapMs = 2_000,
  log = () => {},
}: BotsOptions): Bots {
  const names = Array.from({ length: count }, (_, i) => {
    const base = NAMES[i % NAMES.length]!;
    return i < NAMES.length ? `${base}-bot` : `${base}-bot${Math.floor(i / NAMES.length) + 1}`;
  });
  let stopped = false;
  const users = new Set<ChatUser>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, run: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      run();
    }, ms);
    timers.add(timer);
  };

  const run = async (name: string, index: number): Promise<void> => {
    const url = protocolUrls[index % protocolUrls.length]!;
    let user: ChatUser;
    try {
      user = await connectChatUser(url, name, { keepaliveMs });
    } catch {
      // The engine is down (restarting): try again shortly.
      if (!stopped) later(1_000, () => void run(name, index));
      return;
    }
    if (stopped) return void user.close();
    users.add(user);
    user.send({ op: 'login', name, password: DEMO_PASSWORD });
    const talk = () => {
      if (stopped || !user.open) return;
      user.send({ op: 'say', text: LINES[Math.floor(Math.random() * LINES.length)]! });
      later(minGapMs + Math.random() * minGapMs, talk);
    };
    later(minGapMs * Math.random(), talk);
    await user.closed;
    users.delete(user);
    if (!stopped) {
      log(`${name} lost its connection; reconnecting`);
      later(1_000, () => void run(name, index));
    }
  };
  names.forEach((name, index) => void run(name, index));

  return {
    names,
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all([...users].map((user) => user.close()));
    },
  };
}
