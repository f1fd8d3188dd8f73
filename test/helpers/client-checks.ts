import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { AgentClient } from '../../host/client.js';

/**
 * Runs a small conversion and a ping over `client` (the test converter is serving) and
 * closes it: the proof that a dialed stream carries the whole protocol.
 */
export async function expectConvertsOver(client: AgentClient, outputDir: string, outputName: string): Promise<void> {
  try {
    const result = await client.convert({ image_ref: 'tree?files=4&bytes=4096', output_name: outputName });
    expect(result.path).toBe(outputName);
    expect((await stat(join(outputDir, outputName))).size).toBe(result.size_bytes);
    expect(await client.ping()).toBeGreaterThanOrEqual(0);
  } finally {
    client.close();
  }
}
