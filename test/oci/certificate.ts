// Self-signed EC P-256 certificates made by openssl at test time: the token
// server signs with one (the registry trusts it through its rootcertbundle),
// the https fault proxy serves one for 127.0.0.1 (and it doubles as the CA file).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function makeSelfSignedCertificate(commonName: string, subjectAltName?: string): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'oci-cert-'));
  try {
    const [keyPath, certPath] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    const san = subjectAltName !== undefined ? ['-addext', `subjectAltName=${subjectAltName}`] : [];
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${commonName}`, ...san, '-days', '1', '-keyout', keyPath, '-out', certPath],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
