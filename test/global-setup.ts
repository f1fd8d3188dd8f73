// One docker-registry shared by every test file; tests read its address with
// `inject('registryAddress')`. Tests that need special registries (auth,
// corrupted storage) start their own with startRegistry().
import type { TestProject } from 'vitest/node';
import { startRegistry } from '../testkit/registry/start.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** `127.0.0.1:PORT` of the shared test registry. */
    registryAddress: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const registry = await startRegistry();
  console.log(`test registry: started at ${registry.address} (pid ${registry.pid})`);
  project.provide('registryAddress', registry.address);
  return async () => {
    await registry.stop();
    console.log(`test registry: stopped (pid ${registry.pid})`);
  };
}
