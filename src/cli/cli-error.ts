import { EXIT_USAGE } from './exit-codes.js';

/** A refusal that ends the command with one line on stderr and an exit code (2, bad usage, unless said). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_USAGE,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
