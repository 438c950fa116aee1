import type { Problem } from './problem';

/** Carries an already-built problem (an idempotent replay of a stored error response). */
export class ProblemException extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.code}: ${problem.detail}`);
    this.name = 'ProblemException';
  }
}
