// A token server for a docker-registry with `auth.token`: checks basic
// credentials (or an OAuth2 refresh token) and issues ES256 JWTs signed with a
// key made at test time (certificate.ts); its self-signed certificate goes into the registry's
// rootcertbundle and into each token's `x5c` header, which is how
// distribution finds the key that signed it.
import { createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeSelfSignedCertificate } from './certificate.js';

export interface TokenServerOptions {
  /** user -> password */
  users: Record<string, string>;
  /** refresh token -> user (the `identitytoken` of a docker config.json) */
  refreshTokens?: Record<string, string>;
  /** Users granted push as well as pull (everyone else gets pull only). */
  pushers?: string[];
}

export interface TokenRequestLog {
  method: string;
  account?: string;
  grant: 'basic' | 'refresh_token' | 'anonymous';
  scopes: string[];
  status: number;
}

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  certPem: string;
  requests: TokenRequestLog[];
  /** A token for `repository` with `actions`, e.g. to push fixtures. */
  issue(repository: string, actions: string[]): string;
  /** The next `count` tokens handed out are already expired (beyond distribution's 60 s leeway). */
  expireNext(count: number): void;
  close(): Promise<void>;
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export async function startTokenServer(options: TokenServerOptions): Promise<TokenServer> {
  const { key: keyPem, cert: certPem } = makeSelfSignedCertificate('oci-test-token-issuer');
  const key = createPrivateKey(keyPem);
  const x5c = new X509Certificate(certPem).raw.toString('base64');
  const service = 'oci-test-registry';
  const issuer = 'oci-test-issuer';
  const requests: TokenRequestLog[] = [];
  let expireCount = 0;

  const jwt = (account: string | undefined, access: Array<{ type: string; name: string; actions: string[] }>): string => {
    const now = Math.floor(Date.now() / 1000);
    const expired = expireCount > 0;
    if (expired) expireCount--;
    const exp = expired ? now - 600 : now + 300;
    const header = base64url(JSON.stringify({ alg: 'ES256', typ: 'JWT', x5c: [x5c] }));
    const claims = base64url(
      JSON.stringify({ iss: issuer, sub: account ?? '', aud: service, exp, nbf: now - 900, iat: now - 900, jti: randomUUID(), access }),
    );
    const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' });
    return `${header}.${claims}.${base64url(signature)}`;
  };

  const grantFor = (scopes: string[], actionsAllowed: string[]): Array<{ type: string; name: string; actions: string[] }> =>
    scopes.flatMap((scope) => {
      const [type, name, actions] = scope.split(':');
      if (type !== 'repository' || name === undefined || actions === undefined) return [];
      return [{ type, name, actions: actions.split(',').filter((action) => actionsAllowed.includes(action)) }];
    });

  const answer = (res: ServerResponse, log: TokenRequestLog, status: number, body: unknown): void => {
    log.status = status;
    requests.push(log);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://token');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method === 'POST') {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
      const account = options.refreshTokens?.[form.get('refresh_token') ?? ''];
      const log: TokenRequestLog = { method: 'POST', grant: 'refresh_token', scopes, status: 0, ...(account !== undefined && { account }) };
      if (form.get('grant_type') !== 'refresh_token' || account === undefined || form.get('service') !== service) {
        answer(res, log, 401, { error: 'invalid_grant' });
        return;
      }
      answer(res, log, 200, { access_token: jwt(account, grantFor(scopes, ['pull'])), expires_in: 300 });
      return;
    }
    const scopes = url.searchParams.getAll('scope');
    const authorization = req.headers.authorization ?? '';
    const log: TokenRequestLog = { method: 'GET', grant: authorization ? 'basic' : 'anonymous', scopes, status: 0 };
    if (!authorization.startsWith('Basic ')) {
      answer(res, log, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'credentials required' }] });
      return;
    }
    const decoded = Buffer.from(authorization.slice('Basic '.length), 'base64').toString();
    const [user = '', password] = [decoded.slice(0, decoded.indexOf(':')), decoded.slice(decoded.indexOf(':') + 1)];
    log.account = user;
    if (options.users[user] === undefined || options.users[user] !== password || url.searchParams.get('service') !== service) {
      answer(res, log, 401, { errors: [{ code: 'UNAUTHORIZED', message: 'bad credentials' }] });
      return;
    }
    const allowed = options.pushers?.includes(user) ? ['pull', 'push'] : ['pull'];
    answer(res, log, 200, { token: jwt(user, grantFor(scopes, allowed)), expires_in: 300 });
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certPem,
    requests,
    issue: (repository, actions) => jwt('fixture-pusher', [{ type: 'repository', name: repository, actions }]),
    expireNext: (count) => {
      expireCount = count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
