/** Where a command writes: a stream such as `process.stdout` (a live status line needs `isTTY`). */
export interface Output {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
}

/** What every `run<Command>` function is given: its outputs, the signal that stops it, the environment. */
export interface CommandIo {
  /** Results, one line (or one JSON document) each. */
  stdout: Output;
  /** Errors and usage. @default stdout */
  stderr?: Output | undefined;
  /** Aborting it stops the command (SIGINT and SIGTERM, in the bin). */
  signal: AbortSignal;
  /** Where `CONNMIX_USER` and `CONNMIX_PASSWORD` are read. @default {} (the bin passes `process.env`) */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}
