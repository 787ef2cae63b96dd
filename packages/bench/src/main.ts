// `pnpm bench` prints one Markdown table: every figure of BENCHMARKS.md, measured in this run.
// `pnpm bench --quick` runs every section on tiny inputs in seconds, so the benchmarks keep
// working in CI; it asserts nothing about speed. `--only <section>` (decode, requests, ingest,
// cluster, memory, size) runs that section alone, e.g. `pnpm bench --only requests`.
import { execFileSync } from 'node:child_process';
import { cpus } from 'node:os';
import { benchCluster } from './cluster.ts';
import { benchDecode } from './decode.ts';
import { benchIngest } from './ingest.ts';
import { benchMemory } from './memory.ts';
import { benchRequests } from './requests.ts';
import { benchSize } from './size.ts';
import type { Figure } from './stats.ts';

const quick = process.argv.includes('--quick');
const SECTIONS = ['decode', 'requests', 'ingest', 'cluster', 'memory', 'size'] as const;
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt < 0 ? undefined : process.argv[onlyAt + 1];
if (only !== undefined && !(SECTIONS as readonly string[]).includes(only)) {
  process.stderr.write(`--only takes one of: ${SECTIONS.join(', ')}\n`);
  process.exit(2);
}
const runs = (section: (typeof SECTIONS)[number]) => only === undefined || only === section;
const settings = quick
  ? {
      rounds: 1,
      calls100: 300,
      calls1: 100,
      events: 2_000,
      clusterEvents: 800,
      restarts: 1,
      decodeMs: 5,
      heapCalls: 1_000,
      heapEvents: 20_000,
    }
  : {
      rounds: 7,
      calls100: 20_000,
      calls1: 4_000,
      events: 100_000,
      clusterEvents: 100_000,
      restarts: 7,
      decodeMs: 60,
      heapCalls: 10_000,
      heapEvents: 1_000_000,
    };

const measured = commit();
const rows: string[][] = [];
const notes: string[] = [];
const rate = (value: number, unit: string) => `${Math.round(value).toLocaleString('en-US')} ${unit}`;
const spread = (figure: Figure) => `±${(((figure.max - figure.min) / 2 / figure.median) * 100).toFixed(0)}%`;
const ratio = (figure: Figure) => (figure.ratio === undefined ? '' : figure.ratio.toFixed(2));
const addFigures = (section: string, figures: Map<string, Figure>, unit: string) => {
  for (const [name, figure] of figures)
    rows.push([section, name, rate(figure.median, unit), spread(figure), ratio(figure)]);
};

const log = (line: string) => process.stderr.write(`${line}\n`);

if (runs('decode')) {
  log('decode…');
  // Short windows, three times the rounds: a decode window is easily disturbed by another process.
  for (const [frame, figures] of await benchDecode(settings.decodeMs, settings.rounds * 3)) {
    addFigures(`decode: ${frame}`, figures, 'frames/s');
  }
}
if (runs('requests')) {
  for (const [inFlight, calls] of [
    [1, settings.calls1],
    [100, settings.calls100],
  ] as const) {
    log(`requests, ${inFlight} in flight…`);
    const { figures, skipped } = await benchRequests(inFlight, calls, settings.rounds);
    addFigures(`requests, ${inFlight} in flight`, figures, 'calls/s');
    for (const [name, reason] of skipped) {
      log(`  ${name}: skipped, ${reason}`);
      notes.push(`${name}, ${inFlight} in flight: skipped, ${reason}.`);
    }
  }
}
if (runs('ingest')) {
  log('ingest…');
  addFigures('event ingest', await benchIngest(settings.events, settings.rounds), 'events/s');
}
if (runs('cluster')) {
  log('cluster…');
  const cluster = await benchCluster(settings.clusterEvents, settings.rounds, settings.restarts);
  addFigures(`cluster ingest (${cluster.engines} dev-mesh engines against 1)`, cluster.ingest, 'events/s');
  for (const [name, figure] of cluster.restart) {
    rows.push([
      'engine restart → first message (ms, lower is better)',
      name,
      `${figure.median.toFixed(1)} ms`,
      spread(figure),
      ratio(figure),
    ]);
  }
}
if (runs('memory')) {
  log('memory…');
  const memory = await benchMemory(
    settings.heapCalls,
    settings.heapEvents,
    Math.max(1, Math.min(settings.rounds, 5)),
  );
  rows.push([
    'memory: heap per pending call',
    'raw Map + setTimeout',
    `${memory.rawBytes.toFixed(0)} B`,
    '',
    '1.00',
  ]);
  rows.push([
    'memory: heap per pending call',
    'connmix client.publish',
    `${memory.sdkBytes.toFixed(0)} B`,
    '',
    (memory.sdkBytes / memory.rawBytes).toFixed(2),
  ]);
  rows.push([
    `memory: heap growth over ${memory.events.toLocaleString('en-US')} events`,
    "connmix on('message')",
    `${(memory.heapGrowthBytes / 1024).toFixed(0)} KiB`,
    '',
    '',
  ]);
}
if (runs('size')) {
  log('size…');
  const sizes = await benchSize();
  const ours = [...sizes.values()][0]!.gzip;
  for (const [name, size] of sizes) {
    rows.push([
      'browser bundle, min+gzip',
      name,
      `${size.gzip.toLocaleString('en-US')} B`,
      '',
      (size.gzip / ours).toFixed(2),
    ]);
  }
  const [connmix] = [...sizes.values()];
  if (connmix) {
    // What each part costs the gzip figure: what the bundle would save without it (see size.ts).
    const byFolder = new Map<string, number>();
    for (const [file, { gzipCost }] of connmix.parts) {
      const folder = file.split('/').slice(0, -1).join('/');
      byFolder.set(folder, (byFolder.get(folder) ?? 0) + gzipCost);
    }
    const bytes = (n: number) => `${n.toLocaleString('en-US')} B`;
    for (const [folder, cost] of [...byFolder].sort((a, b) => b[1] - a[1])) {
      rows.push(['connmix bundle by folder (gzip cost of its files)', folder, bytes(cost), '', '']);
    }
    const largest = [...connmix.parts].sort((a, b) => b[1].gzipCost - a[1].gzipCost).slice(0, 10);
    for (const [file, { gzipCost, minified }] of largest) {
      rows.push([
        'connmix bundle, costliest files (gzip cost; minified)',
        file,
        `${bytes(gzipCost)}; ${bytes(minified)}`,
        '',
        '',
      ]);
    }
  }
}

const cpu = cpus();
const header = ['figure', 'case', 'median', 'spread', 'ratio'];
const table = [header, header.map(() => '---'), ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
process.stdout.write(
  [
    `Node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${quick ? 'quick run (tiny inputs, 1 round: figures are not meaningful)' : `median of ${settings.rounds} interleaved rounds`}, commit ${measured}`,
    '',
    'Ratios are per round against the first case of each figure (raw ws, JSON.parse, the connmix bundle; cluster ingest: one client on one engine; restart: the single client with the same reconnect policy), then the median; spread is half the min-max range over the median.',
    '',
    table,
    '',
    ...notes.map((note) => `- ${note}`),
    '',
  ].join('\n'),
);

function commit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
      encoding: 'utf8',
    });
    return dirty.trim() === '' ? head : `${head} with uncommitted changes`;
  } catch {
    return 'unknown';
  }
}
