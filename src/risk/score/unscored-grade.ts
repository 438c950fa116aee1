import type { Grade } from './grade';
import { weightsFor } from './industry-weights';
import { NO_HISTORY, scoreSupplier } from './scorecard';

/**
 * The grade of a supplier that has not been profiled yet (joined since the last hourly refresh):
 * that of a supplier with no history under its industry's weights. Offers price it so, and the
 * score endpoint says so (basis NO_HISTORY), rather than pricing it as if it were known good.
 */
export function gradeWithoutHistory(industry: string | null): Grade {
  return scoreSupplier(NO_HISTORY, weightsFor(industry).weights).grade;
}
