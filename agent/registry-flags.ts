// The registry options of the agent commands that pull (REGISTRY_OPTIONS in commands.ts).
import { existsSync } from 'node:fs';
import type { ParsedCommand } from '../cli/args.js';
import type { REGISTRY_OPTIONS } from './commands.js';
import { defaultDockerConfigPath } from './oci/credentials.js';
import type { RegistryOptions } from './oci/registry.js';

/** The registry options of a command's flags (REGISTRY_OPTIONS). */
export function registryOptionsFromFlags(values: ParsedCommand<typeof REGISTRY_OPTIONS>['options']): RegistryOptions {
  const fallbackAuthFile = defaultDockerConfigPath();
  const authFile = values['auth-file'] ?? (existsSync(fallbackAuthFile) ? fallbackAuthFile : undefined);
  return {
    insecure: values.insecure,
    ...(authFile !== undefined && { authFile }),
    ...(values['ca-file'] !== undefined && { caFile: values['ca-file'] }),
    ...(values.timeout !== undefined && { timeoutMs: values.timeout }),
  };
}
