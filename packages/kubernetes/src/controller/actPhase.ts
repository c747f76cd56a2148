/**
 * The act phase of a loop: the scale patch (merge patch of the `scale` subresource,
 * conditional on the resourceVersion read, re-read and retried on 409 Conflict), then
 * the status {@link statusFor} computed, then its Events. Status and Events are written
 * only while leading; a failed write or Event is counted and logged, never thrown.
 * @module
 */
import { API_VERSION, KIND } from '../crd/names.js';
import type { ScaleTarget } from './scaleTargets.js';
import type { LoopObserver } from './controllerMetrics.js';
import { KubeApiError, type KubeClient, type ScaleReading } from './kubeClient.js';
import { errorText, toError } from './loopErrors.js';
import type { PodAutoscalerStatus } from '../crd/status.js';
import type { LoopEvent, StatusPatch } from './status.js';
import { statusNeedsWrite } from './statusRefresh.js';

export interface ActPorts {
  client: Pick<KubeClient, 'readScale' | 'patchScale' | 'patchStatus' | 'createEvent'>;
  observer: LoopObserver | undefined;
  isLeader: () => boolean;
  log: (level: 'info' | 'warn', message: string, fields: Record<string, unknown>) => void;
  /** Attempts of a scale patch that meets 409 Conflict. */
  conflictRetries: number;
  /** Seconds between writes of a status whose meaning did not change (statusRefresh.ts); 0: every loop. */
  statusRefreshSeconds: number;
}

/** The PodAutoscaler a loop acts for. */
export interface Subject {
  key: string;
  namespace: string;
  name: string;
  uid: string | undefined;
}

/** What a scale patch came to; the error is the one the loop returns. */
export type ScaleAttempt = { result: 'scaled' } | { result: 'failed'; error: Error };

/** Patches the scale to `replicas`, re-reading and retrying on 409 Conflict. */
async function patchScale(ports: ActPorts, namespace: string, ref: ScaleTarget, replicas: number, read: ScaleReading): Promise<void> {
  let current = read;
  const attempts = Math.max(1, ports.conflictRetries);
  for (let attempt = 1; ; attempt++) {
    try {
      await ports.client.patchScale(namespace, ref, replicas, current.resourceVersion || undefined);
      return;
    } catch (error) {
      if (!(error instanceof KubeApiError && error.code === 409) || attempt >= attempts) throw error;
      ports.observer?.scalePatch('conflict');
      current = await ports.client.readScale(namespace, ref);
      if (current.replicas === replicas) return;
    }
  }
}

/** Scales the target to `replicas` from the scale `read`, counting the outcome. */
export async function scaleTarget(ports: ActPorts, subject: Subject, ref: ScaleTarget, replicas: number, read: ScaleReading): Promise<ScaleAttempt> {
  try {
    await patchScale(ports, subject.namespace, ref, replicas, read);
    ports.observer?.scalePatch('success');
    return { result: 'scaled' };
  } catch (error) {
    ports.observer?.error(subject.namespace, subject.name, 'FailedUpdateScale');
    ports.observer?.scalePatch(error instanceof KubeApiError && error.code === 409 ? 'conflict' : 'error');
    return { result: 'failed', error: toError(error) };
  }
}

/**
 * Scales a warm pool's balloon Deployment to `replicas` (controller/warmPool.ts), only
 * when it differs; returns the error text of a failed read or patch, else null.
 */
export async function scaleBalloon(ports: ActPorts, subject: Subject, name: string, replicas: number): Promise<string | null> {
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', name };
  try {
    const read = await ports.client.readScale(subject.namespace, ref);
    if (read.replicas === replicas) return null;
    await patchScale(ports, subject.namespace, ref, replicas, read);
    return null;
  } catch (error) {
    ports.log('warn', 'balloon scale failed', { key: subject.key, balloon: name, error: errorText(error) });
    return errorText(error);
  }
}

/** Merge-patches the status while leading; returns the error of a failed write. */
export async function writeStatus(ports: ActPorts, subject: Subject, status: StatusPatch): Promise<Error | null> {
  if (!ports.isLeader()) return null;
  try {
    await ports.client.patchStatus(subject.namespace, subject.name, status);
    return null;
  } catch (error) {
    ports.observer?.error(subject.namespace, subject.name, 'StatusUpdate');
    ports.log('warn', 'status update failed', { key: subject.key, error: errorText(error) });
    return toError(error);
  }
}

/** Records the Events, in order, at `now`, while leading (as status is written). */
export async function recordEvents(ports: ActPorts, subject: Subject, events: readonly LoopEvent[], now: number): Promise<void> {
  for (const event of events) {
    if (!ports.isLeader()) return;
    try {
      await ports.client.createEvent({
        namespace: subject.namespace,
        regarding: { apiVersion: API_VERSION, kind: KIND, name: subject.name, ...(subject.uid ? { uid: subject.uid } : {}) },
        ...event,
        at: new Date(now),
      });
    } catch (error) {
      ports.observer?.error(subject.namespace, subject.name, 'Event');
      ports.log('warn', 'event failed', { key: subject.key, error: errorText(error) });
    }
  }
}

/**
 * Writes a decided loop's status when its meaning changed or it is due for a refresh
 * (statusRefresh.ts; an Event always comes with a change), then records the Events.
 * Returns whether the status was written and the write's error.
 */
export async function writeUpdate(
  ports: ActPorts,
  subject: Subject,
  current: PodAutoscalerStatus | undefined,
  update: { status: StatusPatch; events: readonly LoopEvent[] },
  now: number,
): Promise<{ written: boolean; error: Error | null }> {
  const written = update.events.length > 0 || statusNeedsWrite(current, update.status, now, ports.statusRefreshSeconds);
  const error = written ? await writeStatus(ports, subject, update.status) : null;
  await recordEvents(ports, subject, update.events, now);
  return { written, error };
}
