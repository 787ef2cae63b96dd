// The live dashboard: engines and their state through `@connmix/browser` (one client per engine),
// announcements published with it, and who is online from the worker, the one consumer of the
// queues, so every tab shows the same list, also after a reload.
import { connectCluster, type Cluster, type ClusterNode } from '@connmix/browser';
import type { ChatSnapshot } from '../../src/chatWorker.ts';
import type { ChatEvent } from '../../src/protocol.ts';
import type { PageConfig } from '../../src/webServer.ts';

const $ = <T extends Element = HTMLElement>(id: string) => document.getElementById(id) as unknown as T;
const COLORS = ['#4f46e5', '#0891b2', '#d97706', '#db2777', '#16a34a', '#7c3aed'];
const SVG = 'http://www.w3.org/2000/svg';

let nodes: ClusterNode[] = [];
let snapshot: ChatSnapshot = { online: [], messages: 0, rates: {} };

const color = (node: string) =>
  COLORS[
    Math.max(
      0,
      nodes.findIndex((n) => n.id === node),
    ) % COLORS.length
  ]!;
/** Messages in the last complete second (the last bucket is still filling). */
const lastSecond = (series: number[] | undefined) => series?.[series.length - 2] ?? 0;

function item(name: string, detail: string, badge?: { text: string; up: boolean }): HTMLLIElement {
  const li = document.createElement('li');
  const label = document.createElement('span');
  label.className = 'name';
  label.textContent = name;
  li.append(label);
  if (badge) {
    const tag = document.createElement('span');
    tag.className = `badge ${badge.up ? 'up' : 'down'}`;
    tag.textContent = badge.text;
    li.append(tag);
  }
  const small = document.createElement('span');
  small.className = 'detail';
  small.textContent = detail;
  li.append(small);
  return li;
}

function renderEngines(): void {
  const up = nodes.filter((node) => node.state === 'open').length;
  $('count-engines').textContent = `${up} of ${nodes.length}`;
  $('engines').replaceChildren(
    ...nodes.map((node) => {
      const online = snapshot.online.filter((user) => user.node === node.id).length;
      const li = item(
        `Engine ${node.id}`,
        `${online} online · ${lastSecond(snapshot.rates[node.id])} msg/s`,
        node.state === 'open' ? { text: 'up', up: true } : { text: `down (${node.state})`, up: false },
      );
      li.dataset['node'] = node.id;
      li.dataset['state'] = node.state === 'open' ? 'up' : 'down';
      return li;
    }),
  );
  $('status').textContent = `${up} of ${nodes.length} engines up`;
}

function renderOnline(): void {
  $('count-online').textContent = String(snapshot.online.length);
  $('count-messages').textContent = snapshot.messages.toLocaleString('en');
  $('online-empty').hidden = snapshot.online.length > 0;
  $('online').replaceChildren(
    ...snapshot.online.map((user) => item(user.name, `#${user.room} · engine ${user.node}`)),
  );
}

/** Seconds averaged into each point: a chat's traffic comes in bursts too short to read one by one. */
const SMOOTHING_SECONDS = 5;

/** Each second as the average of the `SMOOTHING_SECONDS` up to it. */
function smooth(values: readonly number[]): number[] {
  return values.map((_, i) => {
    const window = values.slice(Math.max(0, i - SMOOTHING_SECONDS + 1), i + 1);
    return window.reduce((a, b) => a + b, 0) / window.length;
  });
}

function renderChart(): void {
  const raw = Object.entries(snapshot.rates);
  const series = raw.map(([node, values]) => [node, smooth(values)] as const);
  const max = Math.max(1, ...series.flatMap(([, values]) => values));
  const chart = $<SVGSVGElement>('chart');
  const grid = [0.25, 0.5, 0.75].map((f) => {
    const line = document.createElementNS(SVG, 'line');
    line.setAttribute('x1', '0');
    line.setAttribute('x2', '600');
    line.setAttribute('y1', String(160 * f));
    line.setAttribute('y2', String(160 * f));
    return line;
  });
  const lines = series.map(([node, values]) => {
    const line = document.createElementNS(SVG, 'polyline');
    const step = 600 / Math.max(1, values.length - 1);
    line.setAttribute(
      'points',
      values
        .map((value, i) => `${(i * step).toFixed(1)},${(156 - (value / max) * 150).toFixed(1)}`)
        .join(' '),
    );
    line.setAttribute('stroke', color(node));
    line.dataset['node'] = node;
    return line;
  });
  chart.replaceChildren(...grid, ...lines);
  chart.dataset['total'] = String(
    raw.reduce((sum, [, values]) => sum + values.reduce((a, b) => a + b, 0), 0),
  );
  const scale = document.createElement('li');
  scale.textContent = `top of the chart: ${Number(max.toFixed(1))}/s (${SMOOTHING_SECONDS} s average)`;
  $('legend').replaceChildren(
    ...raw.map(([node, values]) => {
      const li = document.createElement('li');
      const swatch = document.createElement('i');
      swatch.style.background = color(node);
      li.append(swatch, document.createTextNode(`engine ${node} · peak ${Math.max(0, ...values)}/s`));
      return li;
    }),
    scale,
  );
  $('count-rate').textContent = String(raw.reduce((sum, [, values]) => sum + lastSecond(values), 0));
}

function render(): void {
  renderEngines();
  renderOnline();
  renderChart();
}

function watchWorker(): void {
  // EventSource reconnects by itself; each (re)connect starts with the whole snapshot.
  const source = new EventSource('/api/state');
  source.addEventListener('message', (event: MessageEvent<string>) => {
    snapshot = JSON.parse(event.data) as ChatSnapshot;
    render();
  });
}

function wireAnnouncements(cluster: Cluster, config: PageConfig): void {
  const select = $<HTMLSelectElement>('room');
  select.replaceChildren(
    ...config.rooms.map((room) => {
      const option = document.createElement('option');
      option.value = option.textContent = room;
      return option;
    }),
  );
  const result = $('announce-result');
  $<HTMLFormElement>('announce').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const text = String(data.get('text'));
    const room = String(data.get('room'));
    const announcement: ChatEvent = { type: 'announcement', text };
    result.textContent = 'publishing…';
    cluster.publish(room, JSON.stringify(announcement)).then(
      ({ success, total }) => {
        result.textContent = `Delivered to ${success} of ${total} ${total === 1 ? 'connection' : 'connections'} in #${room}`;
        void fetch('/api/announcements', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ room, text, success, total }),
        });
      },
      (error: unknown) => {
        result.textContent = `Not published: ${error instanceof Error ? error.message : String(error)}`;
      },
    );
    (form.elements.namedItem('text') as HTMLInputElement).value = '';
  });
}

const config = (await (await fetch('/api/config')).json()) as PageConfig;
watchWorker();
const cluster = await connectCluster({
  nodes: config.engines.map((engine) => ({ id: engine.node, url: engine.apiUrl })),
  // Engines of a dev mesh restart in a second: show them up again as soon as they are.
  reconnect: { minDelayMs: 200, maxDelayMs: 2_000 },
});
nodes = cluster.nodes;
cluster.on('nodes', (event) => {
  nodes = event.nodes;
  renderEngines();
});
wireAnnouncements(cluster, config);
render();
