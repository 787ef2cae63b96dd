import { startDevMesh, type DevMesh } from '@connmix/devmesh';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectChatUser, type ChatUser } from '../src/chatUser.ts';
import { startChatWorker, type ChatWorker } from '../src/chatWorker.ts';
import { chatEntry } from '../src/entry.ts';

describe('the chat example on a two-engine dev mesh', () => {
  let mesh: DevMesh;
  let worker: ChatWorker;
  const users: ChatUser[] = [];
  const logged: string[] = [];

  beforeEach(async () => {
    mesh = await startDevMesh({ engines: 2, entry: chatEntry });
    worker = await startChatWorker({ centerUrl: mesh.center.url, log: (line) => logged.push(line) });
  });

  afterEach(async () => {
    await Promise.all(users.splice(0).map((user) => user.close()));
    await worker.close();
    await mesh.close();
  });

  async function join(engine: number, name: string): Promise<ChatUser> {
    const user = await connectChatUser(mesh.engines[engine]!.protocolUrl, name);
    users.push(user);
    return user;
  }

  it('logs users in on every engine and relays what they say across engines', async () => {
    expect(worker.clients).toHaveLength(2);
    const ada = await join(0, 'ada');
    const linus = await join(1, 'linus');
    ada.send({ op: 'login', name: 'ada' });
    expect(await ada.waitFor((event) => event.type === 'welcome')).toEqual({
      type: 'welcome',
      name: 'ada',
      room: 'lobby',
    });
    linus.send({ op: 'login', name: 'linus' });
    await linus.waitFor((event) => event.type === 'welcome');
    await ada.waitFor((event) => event.type === 'joined' && event.name === 'linus');

    ada.send({ op: 'say', text: 'hello' });
    expect(await linus.waitFor((event) => event.type === 'said')).toEqual({
      type: 'said',
      name: 'ada',
      room: 'lobby',
      text: 'hello',
    });
    // The worker logs once publish has answered, which may be after linus got the message.
    await vi.waitFor(() => expect(logged).toContain('engine 1: ada in lobby: hello (delivered to 2 of 2)'));
  });

  it('holds the frames after a login until the worker has set the uid', async () => {
    const ada = await join(0, 'ada');
    // Sent back to back: the say must be handled as ada, after the login was accepted.
    ada.send({ op: 'login', name: 'ada' });
    ada.send({ op: 'say', text: 'first words' });
    expect(await ada.waitFor((event) => event.type === 'said')).toMatchObject({
      name: 'ada',
      text: 'first words',
    });
    expect(ada.received.some((event) => event.type === 'error')).toBe(false);
  });

  it('refuses to relay before login, and a bad login releases the connection', async () => {
    const eve = await join(1, 'eve');
    eve.send({ op: 'say', text: 'anyone?' });
    expect(await eve.waitFor((event) => event.type === 'error')).toMatchObject({
      text: expect.stringMatching(/^log in first/),
    });
    eve.send({ op: 'login', name: 'not a valid name!' });
    eve.send({ op: 'login', name: 'eve' });
    expect(await eve.waitFor((event) => event.type === 'welcome')).toMatchObject({ name: 'eve' });
    expect(eve.received.filter((event) => event.type === 'error')).toHaveLength(2);
  });
});
