/**
 * Fixes as code: the contract between the formats (one folder per tool) and the patcher that
 * finds a cluster's definition under --iac-dir and turns the fix into a unified diff.
 * Files come in as text and edits go out as offsets: nothing here reads the user's files or
 * writes anything (the Terraform format loads its grammar's wasm once, on first use).
 */
import type { EndpointChange, EndpointConfig } from '../model/endpoint.js';
import type { IacTool } from '../model/managed-by.js';

/** A file under an --iac-dir. path: relative to the current directory, with '/' separators. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** The cluster to find, and the endpoint it should end with. */
export interface IacTarget {
  readonly clusterName: string;
  readonly region: string;
  /** CloudFormation/eksctl: the cluster's logical id in its stack, from its tags. */
  readonly logicalId?: string;
  /** The full configuration after the fix (what the plan's `after` says). */
  readonly after: EndpointConfig;
  /** What the fix sets: publicAccessCidrs absent means "leave the allowlist as written". */
  readonly change: EndpointChange;
}

/** Replace text[start, end) by text. Offsets are JavaScript string indices (UTF-16) into SourceFile.text. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** Where a definition is: tool, file, 1-based line, and its address in the file. */
export interface Location {
  readonly tool: IacTool;
  readonly file: string;
  readonly line: number;
  /** 'module "eks"', 'aws_eks_cluster.main', 'Resources.EksCluster', 'ClusterConfig prod', ... */
  readonly address: string;
}

/** What the definition says the cluster is called; unresolved when the name cannot be read literally. */
export type DefinitionName =
  | { readonly resolved: true; readonly value: string; readonly from?: Location }
  | {
      readonly resolved: false;
      /** One sentence: where the name leads ("var.cluster_name has no default and no .tfvars entry"). */
      readonly reason: string;
      /**
       * The names it may stand for, when they are known (a for_each over literal keys): such a
       * definition is this cluster's, but not one eksposure can patch for it alone.
       */
      readonly candidates?: readonly string[];
    };

export type PatchOutcome =
  | {
      readonly ok: true;
      /** Non-overlapping edits to location.file (edits to other files are not allowed). */
      readonly edits: readonly TextEdit[];
      /** What the patch changes, one short line each: "endpoint_public_access = false". */
      readonly changes: readonly string[];
      /** Anything a reviewer should know (names chosen for an unpinned module version, ...). */
      readonly notes: readonly string[];
    }
  | { readonly ok: false; readonly reason: string };

/** One cluster definition found in the files. */
export interface Definition {
  readonly location: Location;
  readonly name: DefinitionName;
  /** CloudFormation: the resource's logical id. */
  readonly logicalId?: string;
  /** eksctl: metadata.region; undefined when the file does not say. */
  readonly region?: string;
  /** The minimal edits that give this definition the target's endpoint settings. */
  patch(target: IacTarget): PatchOutcome;
}

/** A file of this format that does not parse: reported, and the other files are still read. */
export interface ParseFailure {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export interface FormatReading {
  readonly definitions: readonly Definition[];
  readonly failures: readonly ParseFailure[];
}

/** One tool's format. */
export interface IacFormat {
  readonly tool: IacTool;
  /** Is this file this format's (by extension and a cheap sniff of the text)? */
  accepts(file: SourceFile): boolean;
  /**
   * Every cluster definition in the files of one --iac-dir that this format accepts.
   * All of a directory's files come together: Terraform follows variables, locals and .tfvars
   * across them.
   */
  read(files: readonly SourceFile[]): Promise<FormatReading>;
}
