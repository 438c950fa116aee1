import { MigrationInterface, QueryRunner } from 'typeorm';

export class PoolClaimRejection1796027319065 implements MigrationInterface {
  name = 'PoolClaimRejection1796027319065';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // TypeORM sees neither a CHECK nor an index whose name stays: both are rewritten by hand.
    await queryRunner.query(`ALTER TABLE "pool_claims" DROP CONSTRAINT "pool_claims_status_check"`);
    await queryRunner.query(
      `ALTER TABLE "pool_claims" ADD CONSTRAINT "pool_claims_status_check" CHECK ("status" IN ('REQUESTED','APPROVED','REJECTED'))`,
    );
    await queryRunner.query(`DROP INDEX "public"."pool_claims_financing_key"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "pool_claims_financing_key" ON "pool_claims" ("financing_id") WHERE "status" <> 'REJECTED'`,
    );
    await queryRunner.query(`
            ALTER TABLE "pool_claims"
            ADD "rejected_by" uuid
        `);
    await queryRunner.query(`
            ALTER TABLE "pool_claims"
            ADD "rejected_at" TIMESTAMP(3) WITH TIME ZONE
        `);
    await queryRunner.query(`
            ALTER TABLE "pool_claims"
            ADD "rejection_reason" character varying(500)
        `);
    await queryRunner.query(`
            ALTER TABLE "pool_claims"
            ADD CONSTRAINT "pool_claims_rejection_check" CHECK (
                    ("status" = 'REJECTED') = (
                        "rejected_at" IS NOT NULL
                        AND "rejection_reason" IS NOT NULL
                    )
                )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "pool_claims" DROP CONSTRAINT "pool_claims_rejection_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "pool_claims" DROP COLUMN "rejection_reason"
        `);
    await queryRunner.query(`
            ALTER TABLE "pool_claims" DROP COLUMN "rejected_at"
        `);
    await queryRunner.query(`
            ALTER TABLE "pool_claims" DROP COLUMN "rejected_by"
        `);
    await queryRunner.query(`DROP INDEX "public"."pool_claims_financing_key"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "pool_claims_financing_key" ON "pool_claims" ("financing_id")`,
    );
    await queryRunner.query(`ALTER TABLE "pool_claims" DROP CONSTRAINT "pool_claims_status_check"`);
    await queryRunner.query(
      `ALTER TABLE "pool_claims" ADD CONSTRAINT "pool_claims_status_check" CHECK ("status" IN ('REQUESTED','APPROVED'))`,
    );
  }
}
