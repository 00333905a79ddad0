/**
 * How a use case ends when it does not produce what it was asked for. The CLI turns each into an
 * exit code and a sentence (src/cli/exit-codes.ts); nothing here knows either.
 */

/** Why a command refused to go on: bad input, or AWS could not be read (nothing was scanned). */
export type Refusal = 'bad-input' | 'unreadable';

export interface Refused {
  readonly kind: 'refused';
  readonly refusal: Refusal;
  /** One line saying what is wrong and how to fix it. */
  readonly message: string;
}

export const refused = (refusal: Refusal, message: string): Refused => ({
  kind: 'refused',
  refusal,
  message,
});

/**
 * The accounts of a run could not be selected (the organization could not be listed, or lists
 * none): the run ends there, before any account is scanned, whatever else happens.
 */
export interface NotSelected {
  readonly kind: 'not-selected';
  readonly refusal: Refusal;
  readonly message: string;
}
