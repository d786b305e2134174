import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * A self-signed EC P-256 certificate and key for one IP address, valid for a day, written to
 * dir/<file>.pem and dir/<file>.key by openssl (the tests' one way of making a TLS identity).
 */
export function selfSignedPair(dir: string, file: string, cn: string, ip: string): { cert: string; key: string } {
  const cert = join(dir, `${file}.pem`);
  const key = join(dir, `${file}.key`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-days', '1'].concat([
      '-subj',
      `/CN=${cn}`,
      '-addext',
      `subjectAltName=IP:${ip}`,
    ]),
    { stdio: 'pipe' },
  );
  return { cert, key };
}
