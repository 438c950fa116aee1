import { MigrationInterface, QueryRunner } from 'typeorm';

export class RiskProfiles1796021406292 implements MigrationInterface {
  name = 'RiskProfiles1796021406292';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "pledge_ltv_history" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "pledge_id" uuid NOT NULL,
                "ltv" numeric(16, 8),
                "collateral_value" numeric(20, 4) NOT NULL,
                "outstanding_amount" numeric(20, 4) NOT NULL,
                "recorded_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "PK_dee5eb8e4218af00873792ca57e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "pledge_ltv_history_pledge_idx" ON "pledge_ltv_history" ("pledge_id", "recorded_at")
        `);
    await queryRunner.query(`
            CREATE TABLE "supplier_relationship_profiles" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "organization_id" uuid NOT NULL,
                "anchor_id" uuid,
                "currency" character(3) NOT NULL,
                "since" date,
                "invoices" integer NOT NULL,
                "volume" numeric(20, 4) NOT NULL,
                "diluted" numeric(20, 4) NOT NULL,
                "checked" integer NOT NULL,
                "exceptions" integer NOT NULL,
                "decided" integer NOT NULL,
                "confirmed" integer NOT NULL,
                "confirmed_amount" numeric(20, 4) NOT NULL,
                "confirmed_amount_days" numeric(28, 4) NOT NULL,
                "financings_due" integer NOT NULL,
                "settled_on_time" integer NOT NULL,
                "overdue_count" integer NOT NULL,
                "overdue_now" integer NOT NULL,
                "max_days_past_due" integer NOT NULL,
                "overdue_outstanding" numeric(20, 4) NOT NULL,
                "exposure" jsonb NOT NULL,
                "pledges" jsonb NOT NULL,
                CONSTRAINT "PK_7ad11c734a0286008689ed7741e" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "supplier_relationship_profiles_organization_idx" ON "supplier_relationship_profiles" ("organization_id")
        `);
    await queryRunner.query(`
            CREATE TABLE "supplier_profiles" (
                "organization_id" uuid NOT NULL,
                "as_of" date NOT NULL,
                "refreshed_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                CONSTRAINT "PK_17ecf6255650834dfc428dd2296" PRIMARY KEY ("organization_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "supplier_sub_limits" (
                "program_id" uuid NOT NULL,
                "financier_id" uuid NOT NULL,
                "supplier_id" uuid NOT NULL,
                "amount" numeric(20, 4) NOT NULL,
                "set_by" uuid,
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                CONSTRAINT "supplier_sub_limits_amount_check" CHECK ("amount" > 0),
                CONSTRAINT "PK_8c6951c189d03dc6ee3a3fcbdb4" PRIMARY KEY ("program_id", "financier_id", "supplier_id")
            )
        `);
    await queryRunner.query(`
            CREATE TABLE "supplier_scores" (
                "organization_id" uuid NOT NULL,
                "score" integer NOT NULL,
                "grade" character varying(1) NOT NULL,
                "weights_key" character varying(16) NOT NULL,
                "inputs" jsonb NOT NULL,
                "factors" jsonb NOT NULL,
                "reasons" jsonb NOT NULL,
                "scored_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                CONSTRAINT "supplier_scores_grade_check" CHECK ("grade" IN ('A', 'B', 'C', 'D', 'E')),
                CONSTRAINT "supplier_scores_score_check" CHECK (
                    "score" >= 0
                    AND "score" <= 1000
                ),
                CONSTRAINT "PK_5f9c17f7a0ad78e1de309d01231" PRIMARY KEY ("organization_id")
            )
        `);
    await queryRunner.query(`
            ALTER TABLE "programs"
            ADD "risk_spread_bps" jsonb NOT NULL DEFAULT '{"A": 0, "B": 0, "C": 0, "D": 0, "E": 0}'
        `);
    await queryRunner.query(`
            ALTER TABLE "offers"
            ADD "risk_grade" character varying(1)
        `);
    await queryRunner.query(`
            ALTER TABLE "offers"
            ADD "risk_spread_bps" integer NOT NULL DEFAULT '0'
        `);
    await queryRunner.query(`
            ALTER TABLE "programs"
            ADD CONSTRAINT "programs_risk_spread_check" CHECK (
                    ("risk_spread_bps"->>'A')::int >= 0
                    AND ("risk_spread_bps"->>'A')::int <= ("risk_spread_bps"->>'B')::int
                    AND ("risk_spread_bps"->>'B')::int <= ("risk_spread_bps"->>'C')::int
                    AND ("risk_spread_bps"->>'C')::int <= ("risk_spread_bps"->>'D')::int
                    AND ("risk_spread_bps"->>'D')::int <= ("risk_spread_bps"->>'E')::int
                    AND ("risk_spread_bps"->>'E')::int <= 5000
                )
        `);
    await queryRunner.query(`
            ALTER TABLE "offers"
            ADD CONSTRAINT "offers_risk_check" CHECK (
                    (
                        "risk_grade" IS NULL
                        OR "risk_grade" IN ('A', 'B', 'C', 'D', 'E')
                    )
                    AND "risk_spread_bps" >= 0
                )
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            ALTER TABLE "offers" DROP CONSTRAINT "offers_risk_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "programs" DROP CONSTRAINT "programs_risk_spread_check"
        `);
    await queryRunner.query(`
            ALTER TABLE "offers" DROP COLUMN "risk_spread_bps"
        `);
    await queryRunner.query(`
            ALTER TABLE "offers" DROP COLUMN "risk_grade"
        `);
    await queryRunner.query(`
            ALTER TABLE "programs" DROP COLUMN "risk_spread_bps"
        `);
    await queryRunner.query(`
            DROP TABLE "supplier_scores"
        `);
    await queryRunner.query(`
            DROP TABLE "supplier_sub_limits"
        `);
    await queryRunner.query(`
            DROP TABLE "supplier_profiles"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."supplier_relationship_profiles_organization_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "supplier_relationship_profiles"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."pledge_ltv_history_pledge_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "pledge_ltv_history"
        `);
  }
}
