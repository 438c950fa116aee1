import { MigrationInterface, QueryRunner } from 'typeorm';

export class SurplusPayments1796028025272 implements MigrationInterface {
  name = 'SurplusPayments1796028025272';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "surplus_payments" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "financing_id" uuid NOT NULL,
                "amount" numeric(20, 4) NOT NULL,
                "paid_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "bank_reference" character varying(64) NOT NULL,
                "recorded_by" uuid,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "surplus_payments_amount_check" CHECK ("amount" > 0),
                CONSTRAINT "PK_3196430bab4662fdc40d3b2f10f" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "surplus_payments_financing_idx" ON "surplus_payments" ("financing_id", "paid_at")
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ADD "surplus_paid_amount" numeric(20, 4) NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "financings"
            ADD CONSTRAINT "financings_surplus_paid_check" CHECK (
                    "surplus_paid_amount" >= 0
                    AND "surplus_paid_amount" <= "surplus_amount"
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "surplus_payments"
            ADD CONSTRAINT "FK_51372ae93ddd332b705eddc226a" FOREIGN KEY ("financing_id") REFERENCES "financings"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "surplus_payments" DROP CONSTRAINT "FK_51372ae93ddd332b705eddc226a"
        `);
    await queryRunner.query(`
            ALTER TABLE "financings" DROP CONSTRAINT "financings_surplus_paid_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "financings" DROP COLUMN "surplus_paid_amount"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."surplus_payments_financing_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "surplus_payments"
        `);
  }
}
