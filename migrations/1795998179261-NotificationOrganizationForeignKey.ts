import { MigrationInterface, QueryRunner } from 'typeorm';

/** A notification belongs to an existing organisation: a job for an unknown one fails for good. */

export class NotificationOrganizationForeignKey1795998179261 implements MigrationInterface {
  name = 'NotificationOrganizationForeignKey1795998179261';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "notifications"
            ADD CONSTRAINT "FK_cb7b1fb018b296f2107e998b2ff" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "notifications" DROP CONSTRAINT "FK_cb7b1fb018b296f2107e998b2ff"
        `);
  }
}
