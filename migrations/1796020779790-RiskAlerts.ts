import { MigrationInterface, QueryRunner } from 'typeorm';

export class RiskAlerts1796020779790 implements MigrationInterface {
  name = 'RiskAlerts1796020779790';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "risk_alerts" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "type" character varying(24) NOT NULL,
                "severity" character varying(8) NOT NULL,
                "state" character varying(12) NOT NULL,
                "subject_type" character varying(16) NOT NULL,
                "subject_id" uuid NOT NULL,
                "condition_key" character varying(120) NOT NULL,
                "party_ids" uuid array NOT NULL,
                "figures" jsonb NOT NULL,
                "title" character varying(300) NOT NULL,
                "raised_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL,
                "acknowledged_at" TIMESTAMP(3) WITH TIME ZONE,
                "acknowledged_by" uuid,
                "resolved_at" TIMESTAMP(3) WITH TIME ZONE,
                "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                "updated_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
                CONSTRAINT "risk_alerts_state_check" CHECK ("state" IN ('OPEN', 'ACKNOWLEDGED', 'RESOLVED')),
                CONSTRAINT "risk_alerts_severity_check" CHECK ("severity" IN ('MEDIUM', 'HIGH', 'CRITICAL')),
                CONSTRAINT "risk_alerts_type_check" CHECK (
                    "type" IN (
                        'OVERDUE',
                        'MARGIN_CALL',
                        'LIQUIDATION_LEVEL',
                        'DILUTION_SPIKE',
                        'CONCENTRATION',
                        'LIMIT_NEAR_FULL',
                        'DUPLICATE_ATTEMPT',
                        'RAPID_GROWTH'
                    )
                ),
                CONSTRAINT "PK_a6f70c28842280b4e39d84bdfb6" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "risk_alerts_raised_idx" ON "risk_alerts" ("raised_at", "id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "risk_alerts_open_condition_key" ON "risk_alerts" ("type", "condition_key")
            WHERE "state" <> 'RESOLVED'
        `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            DROP INDEX "public"."risk_alerts_open_condition_key"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."risk_alerts_raised_idx"
        `);
    await queryRunner.query(`
            DROP TABLE "risk_alerts"
        `);
  }
}
