// The chat page for end users: a plain browser WebSocket to one engine's end-user port, speaking
// the chat's JSON frames. It pings inside the engine's idle limit, and reconnects (and logs in
// again) when its engine goes away.
import { DEMO_PASSWORD, type ChatEvent, type RoomMember } from '../src/protocol.ts';
import type { PageConfig, PageEngine } from '../src/webServer.ts';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const status = $('status');
const conversation = $<HTMLOListElement>('log');

const config = (await (await fetch('/api/config')).json()) as PageConfig;
let socket: WebSocket | undefined;
let engineIndex = 0;
let failures = 0;
/** Who we are once logged in: sent again after a reconnect. */
let credentials: { name: string; password: string } | undefined;
let loggedIn = false;
let room = 'lobby';

function say(kind: 'said' | 'notice' | 'announcement', text: string, who?: string): void {
  const item = document.createElement('li');
  item.className = kind === 'said' ? '' : kind;
  if (who !== undefined) {
    const name = document.createElement('span');
    name.className = 'who';
    name.textContent = who;
    item.append(name);
  }
  // Text nodes only: what users type is shown as typed, never parsed as HTML.
  item.append(document.createTextNode(text));
  const atBottom = conversation.scrollHeight - conversation.scrollTop - conversation.clientHeight < 40;
  conversation.append(item);
  if (atBottom) conversation.scrollTop = conversation.scrollHeight;
}

function renderRooms(): void {
  $('room-title').textContent = room;
  $('rooms').replaceChildren(
    ...config.rooms.map((name) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = `# ${name}`;
      button.setAttribute('aria-pressed', String(name === room));
      button.addEventListener('click', () => send({ op: 'join', room: name }));
      const item = document.createElement('li');
      item.append(button);
      return item;
    }),
  );
}

function renderMembers(members: RoomMember[]): void {
  $('members').replaceChildren(
    ...members.map(({ name, node }) => {
      const item = document.createElement('li');
      const engine = document.createElement('small');
      engine.textContent = ` engine ${node}`;
      item.append(document.createTextNode(name), engine);
      return item;
    }),
  );
}

function send(command: object): void {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(command));
}

function onEvent(event: ChatEvent): void {
  switch (event.type) {
    case 'welcome':
      loggedIn = true;
      $('login-section').hidden = true;
      $('chat').hidden = false;
      $('login-error').textContent = '';
      say('notice', `Welcome, ${event.name}. You are in #${event.room}.`);
      // After a reconnect the worker puts us in the lobby again: go back where we were.
      if (room !== event.room) send({ op: 'join', room });
      else renderRooms();
      $<HTMLInputElement>('message-input').focus();
      return;
    case 'refused':
      credentials = undefined;
      $('login-error').textContent =
        `Login refused: ${event.text}. (Every name logs in with the password ${DEMO_PASSWORD}.)`;
      return;
    case 'joined':
      if (event.name === credentials?.name && event.room !== room) {
        room = event.room;
        renderRooms();
        say('notice', `You are in #${room}.`);
      } else if (event.name !== credentials?.name) say('notice', `${event.name} joined #${event.room}`);
      return;
    case 'left':
      if (event.name !== credentials?.name) say('notice', `${event.name} left #${event.room}`);
      return;
    case 'presence':
      if (event.room === room) renderMembers(event.members);
      return;
    case 'said':
      say('said', event.text, event.name);
      return;
    case 'announcement':
      say('announcement', event.text, 'Announcement');
      return;
    case 'error':
      say('notice', event.text);
      return;
    case 'pong':
      return;
  }
}

function connect(): void {
  const engine: PageEngine = config.engines[engineIndex % config.engines.length]!;
  const ws = new WebSocket(engine.protocolUrl);
  socket = ws;
  let keepalive: ReturnType<typeof setInterval> | undefined;
  ws.addEventListener('open', () => {
    failures = 0;
    status.textContent = `connected to engine ${engine.node}`;
    status.dataset['engine'] = engine.node;
    // Browsers cannot send WebSocket pings: a small frame keeps the engine from dropping us.
    keepalive = setInterval(() => send({ op: 'ping' }), config.keepaliveMs);
    if (credentials) send({ op: 'login', ...credentials });
  });
  ws.addEventListener('message', (message) => {
    if (typeof message.data === 'string') onEvent(JSON.parse(message.data) as ChatEvent);
  });
  ws.addEventListener('close', () => {
    clearInterval(keepalive);
    if (loggedIn) say('notice', `Lost the connection to engine ${engine.node}; reconnecting…`);
    loggedIn = false;
    failures += 1;
    // Try the same engine again first (a restart), then the next one.
    if (failures % 3 === 0) engineIndex += 1;
    status.textContent = 'reconnecting…';
    delete status.dataset['engine'];
    setTimeout(connect, Math.min(250 * 2 ** Math.min(failures, 3), 2_000));
  });
}

$<HTMLFormElement>('login').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = new FormData(event.currentTarget as HTMLFormElement);
  credentials = { name: String(form.get('name')).trim(), password: String(form.get('password')) };
  $('login-error').textContent = '';
  send({ op: 'login', ...credentials });
});

$<HTMLFormElement>('say').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  const text = String(new FormData(form).get('text'));
  if (text.trim() === '') return;
  send({ op: 'say', text });
  form.reset();
});

// `?engine=2` picks an engine by node id; otherwise one at random, as a load balancer would.
const wanted = new URLSearchParams(location.search).get('engine');
const byNode = config.engines.findIndex((engine) => engine.node === wanted);
engineIndex = byNode >= 0 ? byNode : Math.floor(Math.random() * config.engines.length);
connect();
