import type { MigrationInterface } from 'typeorm';
import { Foundation1795997765071 } from './1795997765071-Foundation';
import { NotificationOrganizationForeignKey1795998179261 } from './1795998179261-NotificationOrganizationForeignKey';

/** Every migration, in order. A test fails when a file in migrations/ is missing here. */
export const MIGRATIONS: Array<new () => MigrationInterface> = [
  Foundation1795997765071,
  NotificationOrganizationForeignKey1795998179261,
];
