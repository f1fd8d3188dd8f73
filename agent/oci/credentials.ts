// Registry credentials from a docker `config.json` (`auths` section): either
// `auth` (base64 "user:password"), `username`/`password`, or `identitytoken`
// (an OAuth2 refresh token for the registry's token server). Credential
// helpers (`credsStore`, `credHelpers`) are not run: the agent executes no
// programs named by a config file.
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { BuilderError } from '../../proto/errors.js';
import { DEFAULT_REGISTRY } from '../../core/reference.js';

export interface Credentials {
  username?: string;
  password?: string;
  /** Refresh token for the OAuth2 flow of the token server (`identitytoken` in config.json). */
  identityToken?: string;
}

/** `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`. */
export function defaultDockerConfigPath(): string {
  const dir = process.env.DOCKER_CONFIG ?? join(homedir(), '.docker');
  return join(dir, 'config.json');
}

const DOCKER_HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];

/** Reads credentials for `registry` from a docker config file; none when the file has no entry for it. */
export async function credentialsFromDockerConfig(path: string, registry: string): Promise<Credentials | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new BuilderError('INVALID_ARGUMENT', `cannot read registry auth file ${path}: ${(err as Error).message}`, { cause: err });
  }
  let auths: unknown;
  try {
    auths = (JSON.parse(text) as { auths?: unknown }).auths;
  } catch (err) {
    throw new BuilderError('INVALID_ARGUMENT', `registry auth file ${path} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (auths === undefined) return undefined;
  if (typeof auths !== 'object' || auths === null) throw new BuilderError('INVALID_ARGUMENT', `registry auth file ${path}: "auths" is not an object`);
  const wanted = registry === DEFAULT_REGISTRY ? DOCKER_HUB_KEYS : [registry];
  for (const [key, entry] of Object.entries(auths)) {
    if (wanted.includes(key) || wanted.includes(hostOfKey(key))) return parseEntry(entry, path, key);
  }
  return undefined;
}

/** Keys may be written as URLs (`https://host:port/v1/`); the host[:port] part is what matches. */
function hostOfKey(key: string): string {
  return key.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
}

function parseEntry(entry: unknown, path: string, key: string): Credentials {
  const bad = (why: string): BuilderError => new BuilderError('INVALID_ARGUMENT', `registry auth file ${path}, entry ${JSON.stringify(key)}: ${why}`);
  if (typeof entry !== 'object' || entry === null) throw bad('not an object');
  const { auth, username, password, identitytoken } = entry as Record<string, unknown>;
  const credentials: Credentials = {};
  if (typeof auth === 'string' && auth !== '') {
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) throw bad('"auth" is not base64 of user:password');
    credentials.username = decoded.slice(0, colon);
    credentials.password = decoded.slice(colon + 1);
  } else if (typeof username === 'string') {
    credentials.username = username;
    if (typeof password === 'string') credentials.password = password;
  }
  if (typeof identitytoken === 'string' && identitytoken !== '') credentials.identityToken = identitytoken;
  return credentials;
}
