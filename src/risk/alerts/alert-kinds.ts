/** The early warnings of issue 6 (风险预警); API.md fixes the names. */
export enum AlertType {
  OVERDUE = 'OVERDUE',
  MARGIN_CALL = 'MARGIN_CALL',
  LIQUIDATION_LEVEL = 'LIQUIDATION_LEVEL',
  DILUTION_SPIKE = 'DILUTION_SPIKE',
  CONCENTRATION = 'CONCENTRATION',
  LIMIT_NEAR_FULL = 'LIMIT_NEAR_FULL',
  DUPLICATE_ATTEMPT = 'DUPLICATE_ATTEMPT',
  RAPID_GROWTH = 'RAPID_GROWTH',
}

export enum AlertSeverity {
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
  CRITICAL = 'CRITICAL',
}

/** OPEN until someone acknowledges it; RESOLVED by the sweep once its condition no longer holds. */
export enum AlertState {
  OPEN = 'OPEN',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  RESOLVED = 'RESOLVED',
}

export const ALL_ALERT_TYPES: readonly AlertType[] = Object.values(AlertType);
