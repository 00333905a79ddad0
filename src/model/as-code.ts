/** Fixes as code: what `remediate --iac-dir` found for a cluster, and the patch it wrote. */
import type { IacTool } from './managed-by.js';

/** Where a cluster's definition is: tool, file (relative to the working directory), 1-based line. */
export interface AsCodeLocation {
  readonly tool: IacTool;
  readonly file: string;
  readonly line: number;
  /** 'module.eks', 'aws_eks_cluster.main', 'Resources.EksCluster', 'ClusterConfig prod', ... */
  readonly address: string;
}

/** A ready-to-paste fix for a tool eksposure cannot patch (CDK, Pulumi) or a definition not found. */
export interface AsCodeSnippet {
  readonly tool: string;
  readonly text: string;
}

/**
 * patched: the patch changes this definition. unchanged: the code already says what the fix
 * wants (the live cluster drifted from it). unresolved: found, but the values (or the name) are
 * not literals eksposure can rewrite. ambiguous: several definitions match; none is patched.
 * not-found: nothing under the directories defines the cluster.
 */
export type AsCodeFix =
  | {
      readonly status: 'patched';
      readonly location: AsCodeLocation;
      readonly changes: readonly string[];
      readonly notes: readonly string[];
    }
  | {
      readonly status: 'unchanged' | 'unresolved';
      readonly location: AsCodeLocation;
      readonly reason: string;
      readonly notes: readonly string[];
    }
  | {
      readonly status: 'ambiguous';
      readonly candidates: readonly AsCodeLocation[];
      readonly reason: string;
    }
  | {
      readonly status: 'not-found';
      readonly reason: string;
      readonly snippets: readonly AsCodeSnippet[];
    };

/** A file under --iac-dir that could not be read or parsed; the other files were still searched. */
export interface AsCodeFailure {
  readonly file: string;
  /** 1-based; null when the file could not be read at all. */
  readonly line: number | null;
  readonly message: string;
}

export interface AsCodeSummary {
  /** The --iac-dir directories, as given. */
  readonly dirs: readonly string[];
  /** --patch-out; null when the patch was not written. */
  readonly patchFile: string | null;
  /** Files the patch changes. */
  readonly files: readonly string[];
  readonly failures: readonly AsCodeFailure[];
}
