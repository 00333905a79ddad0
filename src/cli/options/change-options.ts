import type { Options } from 'yargs';
import { paceOption, roleOptions } from './account-options.js';
import { watchOptions } from './apply-options.js';
import { awsAccessOptions, countFlag } from './aws-options.js';

/**
 * Flags of apply, rollback and resume: AWS access, how each plan entry's or journal line's role is
 * assumed again and its calls paced, how to watch updates, how many clusters at once.
 */
export const changeCommandOptions = {
  ...awsAccessOptions,
  ...roleOptions,
  ...paceOption,
  concurrency: countFlag('Clusters changed or watched at once', 4),
  ...watchOptions,
} as const satisfies Record<string, Options>;
