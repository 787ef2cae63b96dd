// Open sockets and handles of this process, by kind, as Node reports them: the count of
// `TCPSocketWrap` after a scenario closed everything tells whether a socket was left open.

/** How many active resources of each kind the process holds now. */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

/** Open TCP sockets and servers of this process. */
export function openSockets(): number {
  const counts = activeResources();
  return (counts['TCPSocketWrap'] ?? 0) + (counts['TCPServerWrap'] ?? 0);
}
