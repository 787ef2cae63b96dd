import { Backoff } from '../connection/backoff.ts';
import { CLIENT_DEFAULTS } from '../client/options.ts';
import { Timer } from '../runtime/timers.ts';
import { ConnmixError } from '../errors/errors.ts';
import { maskUserinfo } from '../errors/redact.ts';
import { Discovery, type EngineAddress } from './discovery.ts';
import type { ClusterErrorEvent } from './events.ts';
import type { ResolvedClusterOptions } from './options.ts';

export interface ResyncDeps {
  /** Makes the engine set match the list. */
  apply(addresses: readonly EngineAddress[]): void;
  report(event: ClusterErrorEvent): void;
}

/**
 * Keeps the engine set in line with the center: a discovery at start, then one every
 * `resyncIntervalMs`. A failed one is reported (`discovery`), the engines known so far stay, and
 * it is retried with the reconnect backoff (never later than the next resync): a cluster whose
 * first discovery failed must not wait a whole interval, 60 s by default, for its engines.
 * With static nodes each run re-applies the list, which brings back an engine whose client gave
 * up (`reconnect: false`). `stop()` leaves no timer and no request behind.
 */
export class Resync {
  readonly #options: ResolvedClusterOptions;
  readonly #deps: ResyncDeps;
  readonly #discovery: Discovery | undefined;
  readonly #timer = new Timer();
  readonly #backoff: Backoff;
  #running = false;
  #stopped = false;

  constructor(options: ResolvedClusterOptions, deps: ResyncDeps) {
    this.#options = options;
    this.#deps = deps;
    const { source } = options;
    this.#backoff = new Backoff(options.defaults.reconnect || CLIENT_DEFAULTS.reconnect);
    this.#discovery =
      source.kind === 'center'
        ? new Discovery({
            center: source.center,
            fetch: options.fetch,
            timeoutMs: options.defaults.requestTimeoutMs,
            nodeUrl: options.nodeUrl,
          })
        : undefined;
  }

  start(): void {
    if (!this.#stopped) void this.#run();
  }

  stop(): void {
    this.#stopped = true;
    this.#timer.stop();
    this.#discovery?.cancel();
  }

  async #run(): Promise<void> {
    if (this.#stopped) return;
    // Armed first, so runs keep to the interval whatever one takes; a run still going is not doubled.
    this.#timer.start(this.#options.resyncIntervalMs, () => void this.#run());
    const { source } = this.#options;
    if (source.kind === 'static') return this.#deps.apply(source.nodes);
    if (this.#running || !this.#discovery) return;
    this.#running = true;
    try {
      const nodes = await this.#discovery.run();
      if (this.#stopped) return;
      this.#backoff.reset();
      this.#deps.apply(nodes);
    } catch (cause) {
      if (this.#stopped) return;
      const error = cause instanceof ConnmixError ? cause : new ConnmixError('discovery failed', { cause });
      const retryMs = Math.min(this.#backoff.next(), this.#options.resyncIntervalMs);
      this.#timer.start(retryMs, () => void this.#run());
      this.#deps.report({ kind: 'discovery', error, center: maskUserinfo(source.center) });
    } finally {
      this.#running = false;
    }
  }
}
