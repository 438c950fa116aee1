import { ApiProperty } from '@nestjs/swagger';
import { PageOf } from '../../common/pagination/page';
import { AlertSeverity, AlertState, AlertType } from './alert-kinds';
import type { RiskAlert } from './risk-alert.entity';

/** An early warning as its parties see it. */
export class RiskAlertView {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: AlertType, enumName: 'AlertType' }) type: AlertType;
  @ApiProperty({ enum: AlertSeverity, enumName: 'AlertSeverity' }) severity: AlertSeverity;
  @ApiProperty({ enum: AlertState, enumName: 'AlertState' }) state: AlertState;
  @ApiProperty({ example: 'financing' }) subjectType: string;
  @ApiProperty({ format: 'uuid' }) subjectId: string;
  @ApiProperty() title: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The figures that raised it (money and ratios as decimal strings)',
  })
  figures: Record<string, unknown>;
  @ApiProperty({ type: [String], format: 'uuid' }) partyIds: string[];
  @ApiProperty({ format: 'date-time' }) raisedAt: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) acknowledgedAt: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) acknowledgedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) resolvedAt: string | null;

  static of(alert: RiskAlert): RiskAlertView {
    const iso = (value: Date | null) => (value ? value.toISOString() : null);
    return {
      id: alert.id,
      type: alert.type,
      severity: alert.severity,
      state: alert.state,
      subjectType: alert.subjectType,
      subjectId: alert.subjectId,
      title: alert.title,
      figures: alert.figures,
      partyIds: alert.partyIds,
      raisedAt: alert.raisedAt.toISOString(),
      acknowledgedAt: iso(alert.acknowledgedAt),
      acknowledgedBy: alert.acknowledgedBy,
      resolvedAt: iso(alert.resolvedAt),
    };
  }
}

export class RiskAlertPage extends PageOf(RiskAlertView) {}
