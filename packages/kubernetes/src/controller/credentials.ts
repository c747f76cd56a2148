/**
 * The credentials a PodAutoscaler names for a Prometheus endpoint (`authSecretRef`): a
 * Secret in the PodAutoscaler's own namespace, read through the API with a GET of that
 * one Secret (RBAC: `get` on `secrets`, no list or watch), holding `token` (a bearer
 * token) or `username` and `password` (basic auth). A Secret read is kept for a minute
 * of the loop clock, so a rotated credential is picked up without a GET every loop. The
 * values never leave this module except to the metric ports: failures say which Secret
 * and which keys, never a value.
 * @module
 */
import type { AuthSecretRef } from '../crd/spec.js';
import { KubeApiError } from './kubeClient.js';
import { type EndpointAuth, MetricSourceError } from './metricsPort.js';

/** Reads a Secret's `data`, decoded; null when it has none. */
export interface SecretReader {
  readSecret(namespace: string, name: string): Promise<Record<string, string> | null>;
}

/** How long a Secret read is reused, ms of the loop clock. */
export const CREDENTIALS_TTL_MS = 60_000;

/** The credentials in a Secret's data: `token`, else `username` and `password`. */
export function credentialsOf(data: Readonly<Record<string, string>> | null): EndpointAuth | null {
  const token = data?.token?.trim();
  if (token) return { type: 'bearer', token };
  if (data?.username !== undefined && data.password !== undefined) return { type: 'basic', username: data.username, password: data.password };
  return null;
}

export class CredentialCache {
  private readonly kept = new Map<string, { at: number; auth: EndpointAuth }>();

  constructor(
    private readonly reader: SecretReader,
    private readonly ttlMs = CREDENTIALS_TTL_MS,
  ) {}

  /**
   * The credentials of `ref` in `namespace` at `now`.
   * @throws MetricSourceError `CredentialsUnavailable` when the Secret cannot be read or lacks the keys.
   */
  async get(namespace: string, ref: AuthSecretRef, now: number): Promise<EndpointAuth> {
    const key = `${namespace}/${ref.name}`;
    const hit = this.kept.get(key);
    if (hit && now >= hit.at && now - hit.at < this.ttlMs) return hit.auth;
    let data: Record<string, string> | null;
    try {
      data = await this.reader.readSecret(namespace, ref.name);
    } catch (error) {
      this.kept.delete(key);
      const why = error instanceof KubeApiError ? (error.code === 0 ? error.reason : `HTTP ${error.code} ${error.reason}`) : 'the read failed';
      throw new MetricSourceError('CredentialsUnavailable', `cannot read Secret ${key} (${why})`, { cause: error });
    }
    const auth = credentialsOf(data);
    if (!auth) {
      this.kept.delete(key);
      throw new MetricSourceError('CredentialsUnavailable', `Secret ${key} has neither a "token" key nor "username" and "password"`);
    }
    if (this.kept.size > 10_000) this.kept.clear();
    this.kept.set(key, { at: now, auth });
    return auth;
  }
}
