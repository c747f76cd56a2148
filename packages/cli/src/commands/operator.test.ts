import { readFileSync } from 'node:fs';
import { parseYamlDocuments } from '@prescale/kubernetes';
import { describe, expect, test } from 'vitest';
import { kubeConfigFromFlags, operatorCommand } from './operator.js';

describe('prescale operator', () => {
  test('the example Deployment\u2019s arguments are flags the command knows', () => {
    const docs = parseYamlDocuments(readFileSync(new URL('../../../../examples/operator/deployment.yaml', import.meta.url), 'utf8')) as any[];
    const args: string[] = docs.find((d) => d.kind === 'Deployment').spec.template.spec.containers[0].args;
    expect(args[0]).toBe('operator');
    const cmd = operatorCommand().exitOverride().action(() => {});
    cmd.parse(args.slice(1), { from: 'user' });
    expect(cmd.opts()).toMatchObject({ inCluster: true, leaderElect: true, leaderElectNamespace: '$(POD_NAMESPACE)', metricsAddress: ':8080', healthAddress: ':8081' });
  });

  test('kubeconfig and in-cluster exclude each other; a missing cluster is a clear error', () => {
    expect(() => kubeConfigFromFlags({ kubeconfig: '/x', inCluster: true })).toThrow(/exclude each other/);
    expect(() => kubeConfigFromFlags({ kubeconfig: '/nonexistent/kubeconfig' })).toThrow();
  });
});
