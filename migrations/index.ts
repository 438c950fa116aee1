import type { MigrationInterface } from 'typeorm';
import { Foundation1795997765071 } from './1795997765071-Foundation';

/** Every migration, in order. A test fails when a file in migrations/ is missing here. */
export const MIGRATIONS: Array<new () => MigrationInterface> = [Foundation1795997765071];
