import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseYamlDocuments, toYaml } from '@prescale/kubernetes';
import { FakeApiServer } from '@prescale/kubernetes/testing';
import { describe, expect, onTestFinished, test, vi } from 'vitest';
import { runCli } from '../run.js';
import { kubeConfigFromFlags, operatorCommand } from './operator.js';

describe('prescale operator', () => {
  test('the example Deployment\u2019s arguments are flags the command knows', () => {
    const docs = parseYamlDocuments(readFileSync(new URL('../../../../examples/operator/deployment.yaml', import.meta.url), 'utf8')) as any[];
    const args: string[] = docs.find((d) => d.kind === 'Deployment').spec.template.spec.containers[0].args;
    expect(args[0]).toBe('operator');
    const cmd = operatorCommand().exitOverride().action(() => {});
    cmd.parse(args.slice(1), { from: 'user' });
    expect(cmd.opts()).toMatchObject({ inCluster: true, leaderElect: true, leaderElectNamespace: '$(POD_NAMESPACE)', metricsAddress: ':8080', healthAddress: ':8081' });
    // The samples' Prometheus is the one the operator may query.
    expect(cmd.opts().prometheusUrl).toEqual(['http://prometheus.monitoring.svc:9090']);
  });

  test('kubeconfig and in-cluster exclude each other; a missing cluster is a clear error', () => {
    expect(() => kubeConfigFromFlags({ kubeconfig: '/x', inCluster: true })).toThrow(/--kubeconfig: excludes --in-cluster/);
    expect(() => kubeConfigFromFlags({ kubeconfig: '/nonexistent/kubeconfig' })).toThrow();
    expect(() => kubeConfigFromFlags({ inCluster: true }, {})).toThrow(/--in-cluster: not in a pod/);
  });

  test('without a kubeconfig or in-cluster config it says so and exits 2 at once, instead of retrying localhost forever', async () => {
    const home = mkdtempSync(join(tmpdir(), 'prescale-home-'));
    onTestFinished(() => rmSync(home, { recursive: true, force: true }));
    vi.stubEnv('HOME', home);
    vi.stubEnv('KUBECONFIG', '');
    onTestFinished(() => void vi.unstubAllEnvs());
    expect(() => kubeConfigFromFlags({})).toThrow(/^--kubeconfig: no kubeconfig or in-cluster config found/);
    const errors: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await runCli(['node', 'prescale', 'operator', '--metrics-address', '', '--health-address', ''], (text) => void errors.push(text))).toBe(2);
    } finally {
      stderr.mockRestore();
    }
    expect(errors.join('')).toMatch(/^prescale: --kubeconfig: no kubeconfig or in-cluster config found .*give --kubeconfig FILE, or --in-cluster in a pod\n$/);
  });

  test('--request-timeout takes a duration', async () => {
    const errors: string[] = [];
    expect(await runCli(['node', 'prescale', 'operator', '--request-timeout', '10'], (text) => void errors.push(text))).toBe(2);
    expect(errors).toEqual(['prescale: --request-timeout: must be a duration such as 250ms, 90s, 5m, 1h30m, 14d or 2w (got "10")\n']);
  });
});

describe('prescale operator against the stand-in', () => {
  test('runs with a kubeconfig, takes the Lease, and on SIGTERM stops and releases it', async () => {
    const server = new FakeApiServer();
    const url = await server.start();
    const dir = mkdtempSync(join(tmpdir(), 'prescale-operator-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const kubeconfig = join(dir, 'config');
    writeFileSync(
      kubeconfig,
      toYaml({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'stand-in', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'cli', user: { token: 'cli' } }],
        contexts: [{ name: 'stand-in', context: { cluster: 'stand-in', user: 'cli' } }],
        'current-context': 'stand-in',
      }),
    );
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const run = operatorCommand().parseAsync(
        ['--kubeconfig', kubeconfig, '--leader-elect', '--leader-elect-namespace', 'default', '--leader-elect-id', 'cli', '--metrics-address', '127.0.0.1:0', '--health-address', '127.0.0.1:0'],
        { from: 'user' },
      );
      const holder = () => (server.get('leases', 'default', 'prescale-operator')?.spec as { holderIdentity?: string } | undefined)?.holderIdentity;
      for (let i = 0; i < 200 && holder() !== 'cli'; i++) await new Promise((r) => setTimeout(r, 25));
      expect(holder()).toBe('cli');
      process.emit('SIGTERM');
      await run;
      expect(holder()).toBe('');
      const logs = stderr.mock.calls.map((c) => String(c[0]));
      expect(logs.some((l) => l.includes('"msg":"SIGTERM received"'))).toBe(true);
      expect(logs.some((l) => l.includes('"msg":"stopped"'))).toBe(true);
    } finally {
      stderr.mockRestore();
      await server.close();
    }
  });
});
