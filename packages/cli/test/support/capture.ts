import type { Output } from '../../src/index.ts';

/** An `Output` that keeps what was written, for assertions. */
export class Capture implements Output {
  text = '';
  private readonly listeners: Array<() => void> = [];
  constructor(readonly isTTY = false) {}
  write(chunk: string): boolean {
    this.text += chunk;
    for (const listener of this.listeners.splice(0)) listener();
    return true;
  }
  /** The lines written so far. */
  get lines(): string[] {
    return this.text.split('\n').filter((line) => line !== '');
  }
  /** Resolves once the output matches. */
  async waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
    for (;;) {
      const match = pattern.exec(this.text);
      if (match) return match;
      await new Promise<void>((resolve) => this.listeners.push(resolve));
    }
  }
}
