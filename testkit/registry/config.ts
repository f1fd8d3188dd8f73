// Renders the docker-registry (distribution v2) configuration for a test registry.
// JSON is valid YAML, so the config is written with JSON.stringify: no YAML
// dependency and no quoting mistakes in paths.

/** Token auth as distribution implements it: clients get a bearer token from `realm`. */
export interface TokenAuthOptions {
  realm: string;
  service: string;
  issuer: string;
  /** PEM of the certificate(s) whose keys sign the tokens. */
  rootCertBundlePem: string;
}

export interface RegistryConfigInput {
  port: number;
  storageDir: string;
  /** Path of an htpasswd file (bcrypt entries); enables basic auth. */
  htpasswdPath?: string;
  token?: Omit<TokenAuthOptions, 'rootCertBundlePem'> & { rootCertBundlePath: string };
}

export function renderRegistryConfig(input: RegistryConfigInput): string {
  const config: Record<string, unknown> = {
    version: '0.1',
    log: { level: 'warn', accesslog: { disabled: true }, formatter: 'text' },
    storage: {
      filesystem: { rootdirectory: input.storageDir },
      delete: { enabled: true },
      // No background upload purging: a test registry lives for seconds.
      maintenance: { uploadpurging: { enabled: false } },
    },
    http: {
      addr: `127.0.0.1:${input.port}`,
      secret: 'erofs-builder-test-registry',
      headers: { 'X-Content-Type-Options': ['nosniff'] },
    },
  };
  if (input.htpasswdPath !== undefined && input.token !== undefined) {
    throw new Error('startRegistry: choose htpasswd or token auth, not both (distribution takes one)');
  }
  if (input.htpasswdPath !== undefined) {
    config.auth = { htpasswd: { realm: 'test-registry', path: input.htpasswdPath } };
  }
  if (input.token !== undefined) {
    config.auth = {
      token: {
        realm: input.token.realm,
        service: input.token.service,
        issuer: input.token.issuer,
        rootcertbundle: input.token.rootCertBundlePath,
      },
    };
  }
  return JSON.stringify(config, null, 2) + '\n';
}
