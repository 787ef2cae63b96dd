// 80,000 calls queued during an outage (the socket never opens) that all time out together:
// how late after their deadline they settle, the longest stall of the event loop meanwhile, and
// the CPU time the process spent from the deadline to the last settlement (which, unlike the
// wall clock, does not grow when other processes load the machine).
// Run with: node --import tsx packages/core/bench/outageExpiry.ts
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createClient, type TransportFactory } from '../src/index.ts';

const CALLS = 80_000;
const TIMEOUT_MS = 1_000;

/** A transport whose socket never opens (an engine that is unreachable). */
const unreachable: TransportFactory = () => ({ send() {}, close() {} });

const client = createClient({
  url: 'ws://127.0.0.1:1/ws/v1',
  transport: unreachable,
  heartbeat: false,
  connectTimeoutMs: 60_000,
});
void client.connect().catch(() => {});
const deadline = performance.now() + TIMEOUT_MS;
let lastSettledAt = 0;
let cpuAtDeadline: NodeJS.CpuUsage | undefined;
let cpuAtLast: NodeJS.CpuUsage | undefined;
setTimeout(() => (cpuAtDeadline = process.cpuUsage()), TIMEOUT_MS - 1);
const calls: Array<Promise<void>> = [];
for (let i = 0; i < CALLS; i += 1) {
  calls.push(
    client.publish('room', 'x', { timeoutMs: TIMEOUT_MS }).then(
      () => {},
      () => {
        lastSettledAt = performance.now();
        cpuAtLast = process.cpuUsage(cpuAtDeadline);
      },
    ),
  );
}
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
await Promise.all(calls);
delay.disable();
await client.close();
console.log(`Node ${process.version}, ${CALLS} calls timing out together`);
console.log(`last settled ${(lastSettledAt - deadline).toFixed(0)} ms after the deadline`);
console.log(`longest event-loop stall ${(delay.max / 1e6).toFixed(0)} ms`);
const cpuMs = cpuAtLast ? (cpuAtLast.user + cpuAtLast.system) / 1000 : Number.NaN;
console.log(`CPU from the deadline to the last settlement ${cpuMs.toFixed(0)} ms`);
