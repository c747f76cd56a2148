/**
 * The gate in front of every Prometheus request the controller makes for a
 * PodAutoscaler: the endpoint must be in the operator's allow-list ({@link
 * EndpointAllowList}), and the credentials its `authSecretRef` names are read
 * ({@link CredentialCache}). A refused endpoint is never fetched.
 * @module
 */
import type { AuthSecretRef } from '../crd/spec.js';
import { type EndpointAllowList, redactUrl } from './allowList.js';
import type { CredentialCache } from './credentials.js';
import { type EndpointAuth, MetricSourceError } from './metricsPort.js';

/** An endpoint a PodAutoscaler names and the Secret with its credentials, if any. */
export interface EndpointTarget {
  endpoint?: string | undefined;
  authSecretRef?: AuthSecretRef | undefined;
}

/** Opens an endpoint for a loop at `now`: its credentials (or none), or a MetricSourceError. */
export type OpenEndpoint = (namespace: string, target: EndpointTarget, now: number) => Promise<EndpointAuth | undefined>;

export function endpointGate(allowList: EndpointAllowList, credentials: CredentialCache | null): OpenEndpoint {
  return async (namespace, target, now) => {
    const endpoint = target.endpoint ?? '';
    if (!allowList.allows(endpoint)) {
      throw new MetricSourceError('EndpointNotAllowed', `${redactUrl(endpoint)} is not an endpoint this operator may query (its --prometheus-url allow-list); not fetched`);
    }
    if (!target.authSecretRef) return undefined;
    if (!credentials) throw new MetricSourceError('CredentialsUnavailable', `Secret ${namespace}/${target.authSecretRef.name}: this controller reads no Secrets`);
    return credentials.get(namespace, target.authSecretRef, now);
  };
}
