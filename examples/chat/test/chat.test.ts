import { startDevMesh, type DevMesh } from '@connmix/devmesh';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectChatUser, type ChatUser } from '../src/chatUser.ts';
import { startChatWorker, type ChatWorker } from '../src/chatWorker.ts';
import { chatEntry } from '../src/entry.ts';
import { DEMO_PASSWORD, ROOMS } from '../src/protocol.ts';

describe('the chat worker on a two-engine dev mesh', () => {
  let mesh: DevMesh;
  let worker: ChatWorker;
  const users: ChatUser[] = [];
  const logged: string[] = [];

  beforeEach(async () => {
    logged.length = 0;
    mesh = await startDevMesh({ engines: 2, entry: chatEntry });
    worker = await startChatWorker({ center: mesh.center.url, log: (line) => logged.push(line) });
  });

  afterEach(async () => {
    await Promise.all(users.splice(0).map((user) => user.close()));
    await worker.close();
    await mesh.close();
  });

  async function join(engine: number, name: string): Promise<ChatUser> {
    const user = await connectChatUser(mesh.engines[engine]!.protocolUrl, name, { keepaliveMs: 0 });
    users.push(user);
    return user;
  }

  async function logIn(engine: number, name: string): Promise<ChatUser> {
    const user = await join(engine, name);
    user.send({ op: 'login', name, password: DEMO_PASSWORD });
    await user.waitFor((event) => event.type === 'welcome');
    return user;
  }

  it('follows every engine the center lists, through the cluster client', async () => {
    await vi.waitFor(() =>
      expect(worker.cluster.nodes.map((node) => [node.id, node.state])).toEqual([
        ['1', 'open'],
        ['2', 'open'],
      ]),
    );
  });

  it('logs users in on every engine, welcomes them with send and relays what they say across engines', async () => {
    const ada = await join(0, 'ada');
    ada.send({ op: 'login', name: 'ada', password: DEMO_PASSWORD });
    expect(await ada.waitFor((event) => event.type === 'welcome')).toEqual({
      type: 'welcome',
      name: 'ada',
      room: 'lobby',
      rooms: ROOMS,
    });
    const linus = await logIn(1, 'linus');
    await ada.waitFor((event) => event.type === 'joined' && event.name === 'linus');
    ada.send({ op: 'say', text: 'hello' });
    expect(await linus.waitFor((event) => event.type === 'said')).toEqual({
      type: 'said',
      name: 'ada',
      room: 'lobby',
      text: 'hello',
    });
    expect(await ada.waitFor((event) => event.type === 'presence' && event.members.length === 2)).toEqual({
      type: 'presence',
      room: 'lobby',
      members: [
        { name: 'ada', node: '1' },
        { name: 'linus', node: '2' },
      ],
    });
  });

  it('holds the frames after a login until the worker has set the uid', async () => {
    const ada = await join(0, 'ada');
    // Sent back to back: the say must be handled as ada, after the login was accepted.
    ada.send({ op: 'login', name: 'ada', password: DEMO_PASSWORD });
    ada.send({ op: 'say', text: 'first words' });
    expect(await ada.waitFor((event) => event.type === 'said')).toMatchObject({
      name: 'ada',
      text: 'first words',
    });
    expect(ada.received.some((event) => event.type === 'error')).toBe(false);
  });

  it('refuses a wrong password with the sentinel, which releases the connection for the next attempt', async () => {
    const eve = await join(1, 'eve');
    eve.send({ op: 'login', name: 'eve', password: 'letmein' });
    // Held behind the refused login: handled as a user who is not logged in.
    eve.send({ op: 'say', text: 'am I in?' });
    expect(await eve.waitFor((event) => event.type === 'refused')).toEqual({
      type: 'refused',
      text: 'wrong password for eve',
    });
    expect(await eve.waitFor((event) => event.type === 'error')).toEqual({
      type: 'error',
      text: 'log in first',
    });
    eve.send({ op: 'login', name: 'eve', password: DEMO_PASSWORD });
    expect(await eve.waitFor((event) => event.type === 'welcome')).toMatchObject({ name: 'eve' });
    expect(worker.snapshot().online).toEqual([{ name: 'eve', node: '2', room: 'lobby' }]);
    expect(logged).toContain('refused a login as eve (wrong password) on engine 2');
  });

  it('moves a user between rooms: what they say reaches only the room they are in', async () => {
    const ada = await logIn(0, 'ada');
    const linus = await logIn(1, 'linus');
    linus.send({ op: 'join', room: 'random' });
    await linus.waitFor((event) => event.type === 'joined' && event.room === 'random');
    await ada.waitFor((event) => event.type === 'left' && event.name === 'linus');
    linus.send({ op: 'say', text: 'only here' });
    await linus.waitFor((event) => event.type === 'said' && event.text === 'only here');
    ada.send({ op: 'say', text: 'lobby only' });
    await ada.waitFor((event) => event.type === 'said' && event.text === 'lobby only');
    expect(ada.received.some((event) => event.type === 'said' && event.text === 'only here')).toBe(false);
    expect(worker.snapshot().online).toEqual([
      { name: 'ada', node: '1', room: 'lobby' },
      { name: 'linus', node: '2', room: 'random' },
    ]);
  });

  it('keeps presence: a user who leaves is gone from the snapshot, and the room is told', async () => {
    const ada = await logIn(0, 'ada');
    const linus = await logIn(1, 'linus');
    await linus.close();
    expect(await ada.waitFor((event) => event.type === 'left')).toEqual({
      type: 'left',
      name: 'linus',
      room: 'lobby',
    });
    expect(worker.snapshot().online).toEqual([{ name: 'ada', node: '1', room: 'lobby' }]);
    expect(logged).toContain('linus left lobby (engine 2)');
  });

  it('drops the users of an engine that goes down, and counts messages per engine', async () => {
    const ada = await logIn(0, 'ada');
    await logIn(1, 'linus');
    ada.send({ op: 'say', text: 'one' });
    await ada.waitFor((event) => event.type === 'said');
    expect(worker.snapshot().messages).toBe(1);
    expect(worker.snapshot().rates['1']?.reduce((a, b) => a + b)).toBe(1);
    await mesh.engines[1]!.stop();
    await vi.waitFor(() =>
      expect(worker.snapshot().online).toEqual([{ name: 'ada', node: '1', room: 'lobby' }]),
    );
    expect(logged).toContain('engine 2 is down (reconnecting)');
  });
});
