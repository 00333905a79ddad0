/**
 * Fixes as code: for each failing cluster, its definition among the files under --iac-dir, and the
 * patch that gives it the planned endpoint, as one unified diff. Pure: files in, fixes out.
 */
import type { AsCodeFailure, AsCodeFix, AsCodeLocation } from '../model/as-code.js';
import type { ManagedBy } from '../model/managed-by.js';
import { snippetsFor } from './snippets.js';
import type { Definition, IacFormat, IacTarget, Location, SourceFile, TextEdit } from './types.js';
import { applyEdits, unifiedDiff } from './unified-diff.js';

export interface IacCluster {
  /** How the caller tells its clusters apart (the ARN). */
  readonly key: string;
  readonly target: IacTarget;
  readonly managedBy: ManagedBy;
}

export interface FixesAsCode {
  /** By IacCluster.key. */
  readonly fixes: ReadonlyMap<string, AsCodeFix>;
  /** One unified diff of every patched file; empty when nothing is patched. */
  readonly patch: string;
  /** The files the patch changes, in order. */
  readonly files: readonly string[];
  readonly failures: readonly AsCodeFailure[];
}

const where = (l: Location) => `${l.file}:${String(l.line)} ${l.address}`;
const locationOf = (l: Location): AsCodeLocation => ({ ...l });

/**
 * The definitions that name this cluster: by name (and region, where the file says so), or, for a
 * cluster its tags put in a CloudFormation stack, a template resource with its logical id whose
 * name is not a literal. (eksctl's stacks use the logical id ControlPlane too; their clusters are
 * matched by the ClusterConfig's name instead.)
 */
function matches(definitions: readonly Definition[], cluster: IacCluster): Definition[] {
  const { target } = cluster;
  return definitions.filter((d) => {
    if (d.region !== undefined && d.region !== target.region) return false;
    if (d.name.resolved) return d.name.value === target.clusterName;
    if (d.name.candidates?.includes(target.clusterName)) return true;
    return (
      cluster.managedBy.tool === 'cloudformation' &&
      d.location.tool === 'cloudformation' &&
      d.logicalId !== undefined &&
      d.logicalId === target.logicalId
    );
  });
}

function notFound(definitions: readonly Definition[], cluster: IacCluster): AsCodeFix {
  // The definitions that might be this cluster: of the tool its tags name (any, when unknown),
  // leaving out stack resources matched by a logical id the cluster does not carry.
  const { tool } = cluster.managedBy;
  const unread = definitions.filter(
    (d) =>
      !d.name.resolved &&
      d.name.candidates === undefined &&
      (tool === 'unknown' || d.location.tool === tool) &&
      !(d.logicalId !== undefined && cluster.target.logicalId === undefined),
  );
  const leads = unread.map((d) => `${where(d.location)} (${d.name.resolved ? '' : d.name.reason})`);
  const reason =
    `no definition of cluster ${cluster.target.clusterName} under the directories` +
    (leads.length > 0
      ? `; ${String(leads.length)} whose name could not be read: ${leads.join('; ')}`
      : '') +
    (cluster.managedBy.tool === 'unknown'
      ? '; its tags name no tool (CDK and Pulumi leave none): a snippet for each follows'
      : '');
  return {
    status: 'not-found',
    reason,
    snippets: snippetsFor(cluster.managedBy.tool, cluster.target.change),
  };
}

/** Two edits touch the same text, or insert at the same place (whose order would be a guess). */
const overlaps = (a: TextEdit, b: TextEdit) =>
  (a.start < b.end && b.start < a.end) || a.start === b.start;
const same = (a: TextEdit, b: TextEdit) =>
  a.start === b.start && a.end === b.end && a.text === b.text;

export async function fixesAsCode(
  formats: readonly IacFormat[],
  files: readonly SourceFile[],
  clusters: readonly IacCluster[],
): Promise<FixesAsCode> {
  const definitions: Definition[] = [];
  const failures: AsCodeFailure[] = [];
  for (const format of formats) {
    const own = files.filter((f) => format.accepts(f));
    if (own.length === 0) continue;
    const reading = await format.read(own);
    definitions.push(...reading.definitions);
    failures.push(...reading.failures.map((f) => ({ ...f })));
  }

  const fixes = new Map<string, AsCodeFix>();
  /** Edits per file, each with the cluster that asked for it: two clusters sharing a definition must agree. */
  const edits = new Map<string, { edit: TextEdit; owner: string }[]>();
  for (const cluster of clusters) {
    const found = matches(definitions, cluster);
    const only = found[0];
    if (only === undefined) {
      fixes.set(cluster.key, notFound(definitions, cluster));
      continue;
    }
    if (found.length > 1) {
      fixes.set(cluster.key, {
        status: 'ambiguous',
        candidates: found.map((d) => locationOf(d.location)),
        reason: `${String(found.length)} definitions match cluster ${cluster.target.clusterName} (${found.map((d) => where(d.location)).join('; ')}); none is patched: keep one, or point --iac-dir at the right one`,
      });
      continue;
    }
    const location = locationOf(only.location);
    if (!only.name.resolved && only.name.candidates?.includes(cluster.target.clusterName)) {
      // One of the names it stands for: this cluster's code, which a patch cannot change alone.
      fixes.set(cluster.key, {
        status: 'unresolved',
        location,
        reason: only.name.reason,
        notes: [],
      });
      continue;
    }
    const patch = only.patch(cluster.target);
    if (!patch.ok) {
      fixes.set(cluster.key, { status: 'unresolved', location, reason: patch.reason, notes: [] });
      continue;
    }
    if (patch.edits.length === 0) {
      fixes.set(cluster.key, {
        status: 'unchanged',
        location,
        reason:
          'the code already sets this endpoint: the live cluster drifted from it (apply the code, or change the cluster)',
        notes: patch.notes,
      });
      continue;
    }
    const fileEdits = edits.get(location.file) ?? [];
    const clash = fileEdits.find((e) =>
      patch.edits.some((p) => overlaps(p, e.edit) && !same(p, e.edit)),
    );
    if (clash) {
      fixes.set(cluster.key, {
        status: 'unresolved',
        location,
        reason: `its definition is shared with cluster ${clash.owner}, which needs a different change; patch it by hand`,
        notes: patch.notes,
      });
      continue;
    }
    for (const edit of patch.edits)
      if (!fileEdits.some((e) => same(e.edit, edit)))
        fileEdits.push({ edit, owner: cluster.target.clusterName });
    edits.set(location.file, fileEdits);
    const byLogicalId = !only.name.resolved
      ? [
          `matched by its logical id ${cluster.target.logicalId ?? ''} alone (its Name is not a literal): check that this template is the one of the cluster's stack`,
        ]
      : [];
    fixes.set(cluster.key, {
      status: 'patched',
      location,
      changes: patch.changes,
      notes: [...byLogicalId, ...patch.notes],
    });
  }

  const changed = files
    .filter((f) => edits.has(f.path))
    .map((file) => ({
      file,
      after: applyEdits(
        file.text,
        (edits.get(file.path) ?? []).map((e) => e.edit),
      ),
    }));
  return {
    fixes,
    patch: unifiedDiff(changed),
    files: changed.map((c) => c.file.path).sort(),
    failures,
  };
}
