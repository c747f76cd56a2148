/**
 * YAML for manifests, on js-yaml directly. client-node's `loadAllYaml`/`dumpYaml` pass
 * known kinds through its typed serializer, which renames or drops keys it has no field
 * for (a CRD's `x-kubernetes-list-type` disappears), so manifests are read and written
 * as plain data here.
 * @module
 */
import yaml from 'js-yaml';

/** Every document of a multi-document YAML text, empty documents skipped. */
export function parseYamlDocuments(text: string): unknown[] {
  return yaml.loadAll(text).filter((d) => d !== null && d !== undefined);
}

/** One object as a YAML document (no line wrapping, no anchors). */
export function toYaml(object: unknown): string {
  return yaml.dump(object, { lineWidth: -1, noRefs: true });
}
