/**
 * A KubeConfig for a plain-http API server on loopback, such as the stand-in: a token
 * user (the stand-in records it as the request's user) and `skipTLSVerify`, without
 * which client-node 1.x refuses http:// servers (reference/ecosystem.md 2.8).
 * @module
 */
import { KubeConfig } from '@kubernetes/client-node';

export function kubeConfigFor(server: string, token = 'prescale-test'): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'stand-in', server, skipTLSVerify: true }],
    users: [{ name: token, token }],
    contexts: [{ name: 'stand-in', cluster: 'stand-in', user: token, namespace: 'default' }],
    currentContext: 'stand-in',
  });
  return kc;
}
