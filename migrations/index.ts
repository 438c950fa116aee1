import type { MigrationInterface } from 'typeorm';
import { Foundation1795997765071 } from './1795997765071-Foundation';
import { NotificationOrganizationForeignKey1795998179261 } from './1795998179261-NotificationOrganizationForeignKey';
import { Trade1796000308164 } from './1796000308164-Trade';
import { InvoiceBatches1796000890797 } from './1796000890797-InvoiceBatches';
import { InvoiceSubmissionOrder1796003015518 } from './1796003015518-InvoiceSubmissionOrder';
import { AuditHeadPrevHash1796003941144 } from './1796003941144-AuditHeadPrevHash';
import { BankAccounts1796009144376 } from './1796009144376-BankAccounts';
import { Ledger1796009148238 } from './1796009148238-Ledger';
import { Financing1796009743575 } from './1796009743575-Financing';
import { Pledges1796017942558 } from './1796017942558-Pledges';
import { RiskAlerts1796020779790 } from './1796020779790-RiskAlerts';
import { Webhooks1796021032134 } from './1796021032134-Webhooks';
import { RiskPools1796021052830 } from './1796021052830-RiskPools';
import { RiskProfiles1796021406292 } from './1796021406292-RiskProfiles';
import { Guarantees1796026096957 } from './1796026096957-Guarantees';
import { PoolClaimRejection1796027319065 } from './1796027319065-PoolClaimRejection';
import { PoolRefunds1796027708304 } from './1796027708304-PoolRefunds';
import { SurplusPayments1796028025272 } from './1796028025272-SurplusPayments';
import { DilutionRepayments1796028464902 } from './1796028464902-DilutionRepayments';

/** Every migration, in order. A test fails when a file in migrations/ is missing here. */
export const MIGRATIONS: Array<new () => MigrationInterface> = [
  Foundation1795997765071,
  NotificationOrganizationForeignKey1795998179261,
  Trade1796000308164,
  InvoiceBatches1796000890797,
  InvoiceSubmissionOrder1796003015518,
  AuditHeadPrevHash1796003941144,
  BankAccounts1796009144376,
  Ledger1796009148238,
  Financing1796009743575,
  Pledges1796017942558,
  RiskAlerts1796020779790,
  Webhooks1796021032134,
  RiskPools1796021052830,
  RiskProfiles1796021406292,
  Guarantees1796026096957,
  PoolClaimRejection1796027319065,
  PoolRefunds1796027708304,
  SurplusPayments1796028025272,
  DilutionRepayments1796028464902,
];
