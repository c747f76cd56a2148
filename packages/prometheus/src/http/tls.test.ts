/**
 * TLS options against a real HTTPS server on loopback, with a throwaway self-signed
 * certificate made by `openssl` (skipped where there is no openssl).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrometheusClient } from './client.js';
import { LONG_TEST_TIMEOUT_MS } from '../testSupport/runs.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasOpenssl())('TLS options', () => {
  let dir: string;
  let cert: string;
  let key: string;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prescale-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=prometheus.test',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:prometheus.test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
    key = readFileSync(join(dir, 'key.pem'), 'utf8');
    // Mutual TLS: the server asks for a client certificate signed by the same (self-signed) CA.
    server = createServer({ cert, key, ca: cert, requestCert: true, rejectUnauthorized: true }, (_, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'success', data: { resultType: 'scalar', result: [1, '42'] } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => {
    server?.closeAllConnections();
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('trusts the given CA and presents a client certificate', async () => {
    const c = createPrometheusClient({ url, tls: { ca: cert, cert, key } });
    await expect(c.query('42')).resolves.toMatchObject({ resultType: 'scalar', value: 42 });
    await c.close();
    await expect(c.query('42')).rejects.toMatchObject({ code: 'Unreachable' }); // the pool is closed
  }, LONG_TEST_TIMEOUT_MS);

  it('checks the certificate against serverName when given', async () => {
    const good = createPrometheusClient({ url, tls: { ca: cert, cert, key, serverName: 'prometheus.test' } });
    await expect(good.query('42')).resolves.toMatchObject({ value: 42 });
    const wrong = createPrometheusClient({ url, retries: 0, tls: { ca: cert, cert, key, serverName: 'other.test' } });
    await expect(wrong.query('42')).rejects.toMatchObject({ code: 'Unreachable' });
  });

  it('refuses an unknown certificate (Unreachable, with the TLS cause) unless told to skip verification', async () => {
    const plain = createPrometheusClient({ url, retries: 0 });
    await expect(plain.query('42')).rejects.toMatchObject({ code: 'Unreachable', message: expect.stringMatching(/certificate/i) });
    const insecure = createPrometheusClient({ url, tls: { insecureSkipVerify: true, cert, key } });
    await expect(insecure.query('42')).resolves.toMatchObject({ value: 42 });
  });

  it('fails without the client certificate the server requires', async () => {
    const c = createPrometheusClient({ url, retries: 0, tls: { ca: cert } });
    await expect(c.query('42')).rejects.toMatchObject({ code: expect.stringMatching(/Unreachable|InvalidResponse/) });
  });
});
