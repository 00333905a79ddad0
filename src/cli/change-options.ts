import type { Options } from 'yargs';
import { watchOptions } from './apply-options.js';
import { awsAccessOptions, countFlag } from './aws-options.js';

/** Flags of apply, rollback and resume: AWS access, how to watch updates, how many clusters at once. */
export const changeCommandOptions = {
  ...awsAccessOptions,
  concurrency: countFlag('Clusters changed or watched at once', 4),
  ...watchOptions,
} as const satisfies Record<string, Options>;
