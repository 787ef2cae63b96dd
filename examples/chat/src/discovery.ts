/** The API URL of every engine the center knows (`GET /v1/nodes`). */
export async function discoverEngines(centerUrl: string): Promise<Array<{ id: string; apiUrl: string }>> {
  const response = await fetch(new URL('/v1/nodes', centerUrl));
  if (!response.ok) throw new Error(`the center answered ${response.status} to GET /v1/nodes`);
  const { nodes } = (await response.json()) as { nodes: Array<{ id: string | number; api_server: string }> };
  return nodes.map((node) => ({ id: String(node.id), apiUrl: `ws://${node.api_server}/ws/v1` }));
}
