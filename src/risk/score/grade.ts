/** A supplier's credit grade, best first: what offers price a risk spread on (docs/risk.md). */
export const GRADES = ['A', 'B', 'C', 'D', 'E'] as const;
export type Grade = (typeof GRADES)[number];

/** The lowest total score of each grade; below the last one the grade is E. */
export const GRADE_FLOORS: ReadonlyArray<{ grade: Grade; minScore: number }> = [
  { grade: 'A', minScore: 800 },
  { grade: 'B', minScore: 650 },
  { grade: 'C', minScore: 500 },
  { grade: 'D', minScore: 350 },
];

export function gradeOf(score: number): Grade {
  return GRADE_FLOORS.find((floor) => score >= floor.minScore)?.grade ?? 'E';
}

export function isGrade(value: unknown): value is Grade {
  return typeof value === 'string' && (GRADES as readonly string[]).includes(value);
}
