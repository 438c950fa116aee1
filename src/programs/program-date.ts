import type { EntityManager } from 'typeorm';

/**
 * The day `moment` (default: now, by the database clock) falls on in the program's time zone:
 * the date of business meaning for ledger entries and sweeps. No program (a drawdown on a pledge
 * outside any program): UTC.
 */
export async function programDate(
  manager: EntityManager,
  programId: string | null,
  moment: Date | null = null,
): Promise<string> {
  const [row] = (await manager.query(
    `SELECT (COALESCE($2::timestamptz, now())
              AT TIME ZONE COALESCE((SELECT timezone FROM programs WHERE id = $1), 'UTC'))::date::text AS day`,
    [programId, moment?.toISOString() ?? null],
  )) as Array<{ day: string }>;
  return row.day;
}
