import { connect as tcpConnect } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { startDevMesh, type DevMesh, type Entry } from '../src/index.ts';
import { basic, closeAllClients, connect, joinUser, until } from '@connmix/test-support/wsClients';

let mesh: DevMesh | undefined;
afterEach(async () => {
  await closeAllClients();
  await mesh?.close();
  mesh = undefined;
});

const lobby: Entry = {
  onHandshake: ({ conn }) => conn.subscribe('lobby'),
  onMessage: ({ conn, message }) => conn.send(`echo ${String(message.data)}`),
};

async function metrics(url: string, init?: RequestInit): Promise<string> {
  const response = await fetch(`${url}/metrics`, init);
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one sample line, e.g. `name{labels}`. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (line === undefined) throw new Error(`no sample ${series} in\n${text}`);
  return Number(line.slice(series.length + 1));
}

describe("the engine's and the center's documented metric names (v1.0.3)", () => {
  test('engine: clients, messages read and sent, and send durations by scenario', async () => {
    mesh = await startDevMesh({ engines: 2, dialect: 'v1.0.3', entry: lobby });
    const [a, b] = [mesh.engines[0], mesh.engines[1]!];
    const user = await joinUser(a);
    user.send('one');
    expect(await user.frames.next()).toBe('echo one');
    const local = await connect(a.apiUrl);
    await local.call('mesh.send', { c: user.clientId, d: 'local' });
    const remote = await connect(b.apiUrl);
    await remote.call('mesh.publish', { c: 'lobby', d: 'forwarded' });
    await user.frames.next();
    await user.frames.next();
    const http = a.apiUrl.replace('ws://', 'http://').replace('/ws/v1', '');
    const text = await metrics(http);
    const ws = 'protocol="websocket"';
    expect(text).toContain('# TYPE connmix_engine_servers_clients gauge');
    expect(sample(text, 'connmix_engine_servers_clients')).toBe(1);
    expect(sample(text, `connmix_engine_servers_read_messages_total{${ws}}`)).toBe(1);
    expect(sample(text, `connmix_engine_servers_send_messages_total{${ws}}`)).toBe(3);
    expect(sample(text, `connmix_engine_servers_send_errors_total{${ws}}`)).toBe(0);
    // the echo (the entry's own send) and mesh.send are local; the publish came from engine b
    expect(sample(text, `connmix_engine_servers_send_duration_seconds_count{${ws},scenario="local"}`)).toBe(
      2,
    );
    expect(sample(text, `connmix_engine_servers_send_duration_seconds_count{${ws},scenario="forward"}`)).toBe(
      1,
    );
    for (const q of ['0', '0.25', '0.5', '0.75', '1']) {
      const value = sample(
        text,
        `connmix_engine_servers_send_duration_seconds{${ws},scenario="forward",quantile="${q}"}`,
      );
      expect(value).toBeGreaterThanOrEqual(0);
    }
    // the dev mesh's own figures are still there
    expect(text).toContain('connmix_connections{node="1"} 1');
  });

  test('engine: a send a socket entry cannot encode is a send error, labelled protocol="socket"', async () => {
    const entry: Entry = {
      protocol: 'socket',
      encode: ({ data }) => (data === 'drop' ? undefined : `${String(data)}\n`),
    };
    mesh = await startDevMesh({ dialect: 'v1.0.3', entry });
    const socket = tcpConnect({ host: '127.0.0.1', port: mesh.engines[0].protocolPort });
    try {
      await until(() => mesh!.engines[0].clients().length === 1);
      const clientId = mesh.engines[0].clients()[0]!.clientId;
      const worker = await connect(mesh.engines[0].apiUrl);
      expect(await worker.call('mesh.send', { c: clientId, d: 'drop' })).toMatchObject({ E: { c: 401 } });
      const http = mesh.engines[0].apiUrl.replace('ws://', 'http://').replace('/ws/v1', '');
      const text = await metrics(http);
      expect(sample(text, 'connmix_engine_servers_send_errors_total{protocol="socket"}')).toBe(1);
      expect(mesh.engines[0].stats().counters.sendErrors).toBe(1);
    } finally {
      socket.destroy();
    }
  });

  test('center: registry channels, clients and engine nodes on the center port, behind access control', async () => {
    mesh = await startDevMesh({
      engines: 2,
      dialect: 'v1.0.3',
      entry: lobby,
      access: { users: [{ username: 'ops', password: 'p', roles: ['read'] }] },
    });
    await joinUser(mesh.engines[0]);
    await joinUser(mesh.engines[1]!);
    const refused = await fetch(`${mesh.center.url}/metrics`);
    expect(refused.status).toBe(401);
    await refused.body?.cancel();
    const text = await metrics(mesh.center.url, basic('ops', 'p'));
    expect(sample(text, 'connmix_center_registry_channels_total')).toBe(1);
    expect(sample(text, 'connmix_center_registry_clients')).toBe(2);
    expect(sample(text, 'connmix_center_registry_engine_nodes')).toBe(2);
    await mesh.engines[1]!.stop();
    const after = await metrics(mesh.center.url, basic('ops', 'p'));
    expect(sample(after, 'connmix_center_registry_engine_nodes')).toBe(1);
    expect(sample(after, 'connmix_center_registry_clients')).toBe(1);
  });

  test('v1.0.2 centers serve no /metrics, as v1.0.2 engines do not', async () => {
    mesh = await startDevMesh({ dialect: 'v1.0.2' });
    const response = await fetch(`${mesh.center.url}/metrics`);
    expect(response.status).toBe(404);
    await response.body?.cancel();
  });
});
