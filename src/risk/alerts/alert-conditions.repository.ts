import { Injectable } from '@nestjs/common';
import { formatMoney } from '../../common/money/money';
import { TransactionHost } from '../../database/transaction-host';
import { AlertType } from './alert-kinds';
import {
  concentration,
  dilutionSpike,
  duplicateAttempts,
  limitNearFull,
  liquidationAlert,
  marginCallAlert,
  overdueAlert,
  rapidGrowth,
  type AlertFinding,
} from './alert-rules';

/** A condition that holds now, with who it concerns; the sweep turns it into an alert. */
export interface AlertCondition extends AlertFinding {
  type: AlertType;
  conditionKey: string;
  subjectType: string;
  subjectId: string;
  partyIds: string[];
  title: string;
}

/** The financiers in an ACTIVE program with the supplier `s.supplier_id` (who lend to it). */
const LENDERS_OF = (supplier: string) => `
  SELECT pf.financier_id FROM program_suppliers ps
    JOIN program_financiers pf ON pf.program_id = ps.program_id AND pf.status = 'ACTIVE'
   WHERE ps.supplier_id = ${supplier} AND ps.status = 'ACTIVE'`;

/**
 * One set-based read per alert type: every subject whose condition holds now, with its figures.
 * The pure rules (alert-rules.ts) decide which are worth an alert and how urgent.
 */
@Injectable()
export class AlertConditions {
  constructor(private readonly tx: TransactionHost) {}

  async current(type: AlertType): Promise<AlertCondition[]> {
    switch (type) {
      case AlertType.OVERDUE:
        return this.overdue();
      case AlertType.MARGIN_CALL:
      case AlertType.LIQUIDATION_LEVEL:
        return this.pledgeLevels(type);
      case AlertType.DILUTION_SPIKE:
        return this.dilution();
      case AlertType.CONCENTRATION:
        return this.concentration();
      case AlertType.LIMIT_NEAR_FULL:
        return this.limits();
      case AlertType.DUPLICATE_ATTEMPT:
        return this.duplicates();
      case AlertType.RAPID_GROWTH:
        return this.growth();
    }
  }

  private async overdue(): Promise<AlertCondition[]> {
    const rows = (await this.tx.manager.query(
      `SELECT f.id, f.reference, f.currency, f.supplier_id, f.financier_id, f.anchor_id,
              f.outstanding_amount::text AS outstanding,
              ((now() AT TIME ZONE COALESCE(p.timezone, 'UTC'))::date - f.maturity_date) AS days_overdue
         FROM financings f LEFT JOIN programs p ON p.id = f.program_id
        WHERE f.status = 'OVERDUE'`,
    )) as Array<{
      id: string;
      reference: string;
      currency: string;
      supplier_id: string;
      financier_id: string;
      anchor_id: string | null;
      outstanding: string;
      days_overdue: number;
    }>;
    return rows.map((row) => ({
      type: AlertType.OVERDUE,
      conditionKey: `OVERDUE:${row.id}`,
      subjectType: 'financing',
      subjectId: row.id,
      partyIds: [row.financier_id, row.supplier_id, row.anchor_id].filter(
        (id): id is string => id !== null,
      ),
      title: `Financing ${row.reference} overdue ${row.days_overdue} day(s): ${row.currency.trim()} ${formatMoney(row.outstanding, row.currency.trim())} outstanding`,
      ...overdueAlert({
        daysOverdue: row.days_overdue,
        outstanding: formatMoney(row.outstanding, row.currency.trim()),
      }),
    }));
  }

  private async pledgeLevels(
    type: AlertType.MARGIN_CALL | AlertType.LIQUIDATION_LEVEL,
  ): Promise<AlertCondition[]> {
    const rows = (await this.tx.manager.query(
      type === AlertType.MARGIN_CALL
        ? `SELECT id, reference, supplier_id, financier_id, ltv::text AS ltv, margin_call_ltv::text AS level
             FROM pledges WHERE status = 'MARGIN_CALL'`
        : `SELECT id, reference, supplier_id, financier_id, ltv::text AS ltv, liquidation_ltv::text AS level
             FROM pledges WHERE status = 'MARGIN_CALL' AND liquidation_alerted_at IS NOT NULL`,
    )) as Array<{
      id: string;
      reference: string;
      supplier_id: string;
      financier_id: string;
      ltv: string | null;
      level: string;
    }>;
    return rows.map((row) => ({
      type,
      conditionKey: `${type}:${row.id}`,
      subjectType: 'pledge',
      subjectId: row.id,
      partyIds: [row.financier_id, row.supplier_id],
      title:
        type === AlertType.MARGIN_CALL
          ? `Pledge ${row.reference} in margin call: LTV ${row.ltv ?? '∞'} above ${row.level}`
          : `Pledge ${row.reference} past its liquidation level: LTV ${row.ltv ?? '∞'} above ${row.level}`,
      ...(type === AlertType.MARGIN_CALL
        ? marginCallAlert({ ltv: row.ltv, marginCallLtv: row.level })
        : liquidationAlert({ ltv: row.ltv, liquidationLtv: row.level })),
    }));
  }

  private async dilution(): Promise<AlertCondition[]> {
    const rows = (await this.tx.manager.query(
      `WITH invoiced AS (
         SELECT supplier_id, currency, sum(total_amount) AS invoiced FROM invoices
          WHERE created_at > now() - interval '90 days' AND status <> 'CANCELLED'
          GROUP BY supplier_id, currency
       ), diluted AS (
         SELECT i.supplier_id, i.currency, sum(c.amount) AS diluted FROM credit_notes c JOIN invoices i ON i.id = c.invoice_id
          WHERE c.created_at > now() - interval '90 days' AND c.status = 'AGREED'
          GROUP BY i.supplier_id, i.currency
       )
       SELECT v.supplier_id, v.currency, o.name, v.invoiced::text AS invoiced, d.diluted::text AS diluted,
              ARRAY(${LENDERS_OF('v.supplier_id')})::text[] AS lenders
         FROM invoiced v JOIN diluted d ON d.supplier_id = v.supplier_id AND d.currency = v.currency
         JOIN organizations o ON o.id = v.supplier_id`,
    )) as Array<{
      supplier_id: string;
      currency: string;
      name: string;
      invoiced: string;
      diluted: string;
      lenders: string[];
    }>;
    return rows.flatMap((row) => {
      const currency = row.currency.trim();
      const finding = dilutionSpike({
        invoiced: formatMoney(row.invoiced, currency),
        diluted: formatMoney(row.diluted, currency),
      });
      return finding && row.lenders.length > 0
        ? [
            {
              type: AlertType.DILUTION_SPIKE,
              conditionKey: `DILUTION_SPIKE:${row.supplier_id}:${currency}`,
              subjectType: 'supplier',
              subjectId: row.supplier_id,
              partyIds: [...new Set(row.lenders)],
              title: `${row.name}: ${finding.figures.dilutionRate} of its invoices (90 days) diluted by credit notes`,
              ...finding,
            },
          ]
        : [];
    });
  }

  private async concentration(): Promise<AlertCondition[]> {
    const rows = (await this.tx.manager.query(
      `WITH book AS (
         SELECT financier_id, currency, anchor_id, sum(outstanding_amount) AS on_anchor,
                sum(sum(outstanding_amount)) OVER (PARTITION BY financier_id, currency) AS book
           FROM financings WHERE status IN ('DISBURSED','OVERDUE') AND anchor_id IS NOT NULL
          GROUP BY financier_id, currency, anchor_id
       )
       SELECT b.financier_id, b.anchor_id, b.currency, a.name AS anchor_name,
              b.on_anchor::text AS on_anchor, b.book::text AS book
         FROM book b JOIN organizations a ON a.id = b.anchor_id`,
    )) as Array<{
      financier_id: string;
      anchor_id: string;
      currency: string;
      anchor_name: string;
      on_anchor: string;
      book: string;
    }>;
    return rows.flatMap((row) => {
      const currency = row.currency.trim();
      const finding = concentration({
        onAnchor: formatMoney(row.on_anchor, currency),
        book: formatMoney(row.book, currency),
      });
      return finding
        ? [
            {
              type: AlertType.CONCENTRATION,
              conditionKey: `CONCENTRATION:${row.financier_id}:${row.anchor_id}:${row.currency.trim()}`,
              subjectType: 'financier',
              subjectId: row.financier_id,
              partyIds: [row.financier_id],
              title: `${finding.figures.share} of your ${row.currency.trim()} book is on ${row.anchor_name}`,
              ...finding,
            },
          ]
        : [];
    });
  }

  private async limits(): Promise<AlertCondition[]> {
    const rows = (await this.tx.manager.query(
      `SELECT pf.program_id, pf.financier_id, p.anchor_id, p.name, p.currency,
              (pf.reserved_amount + pf.used_amount)::text AS taken, pf.limit_amount::text AS "limit"
         FROM program_financiers pf JOIN programs p ON p.id = pf.program_id
        WHERE pf.limit_amount > 0 AND pf.reserved_amount + pf.used_amount >= pf.limit_amount * 0.5`,
    )) as Array<{
      program_id: string;
      financier_id: string;
      anchor_id: string;
      name: string;
      taken: string;
      limit: string;
    }>;
    return rows.flatMap((row) => {
      const finding = limitNearFull({ taken: row.taken, limit: row.limit });
      return finding
        ? [
            {
              type: AlertType.LIMIT_NEAR_FULL,
              conditionKey: `LIMIT_NEAR_FULL:${row.program_id}:${row.financier_id}`,
              subjectType: 'program',
              subjectId: row.program_id,
              partyIds: [row.financier_id, row.anchor_id],
              title: `Limit in ${row.name} ${finding.figures.share} taken`,
              ...finding,
            },
          ]
        : [];
    });
  }

  private async duplicates(): Promise<AlertCondition[]> {
    const rows = (await this.tx.manager.query(
      `WITH pledges AS (
         SELECT supplier_id, count(*)::int AS refused,
                array_agg(DISTINCT (SELECT p.financier_id FROM pledges p WHERE p.id = a.existing_pledge_id)) AS holders
           FROM pledge_attempts a WHERE attempted_at > now() - interval '30 days' GROUP BY supplier_id
       ), invoices AS (
         SELECT supplier_id, count(*)::int AS duplicates FROM invoices
          WHERE created_at > now() - interval '30 days'
            AND (verification_reasons @> '[{"code":"DUPLICATE_NUMBER"}]' OR verification_reasons @> '[{"code":"DUPLICATE_FINGERPRINT"}]')
          GROUP BY supplier_id
       )
       SELECT s.supplier_id, o.name, COALESCE(p.refused, 0) AS refused, COALESCE(i.duplicates, 0) AS duplicates,
              (ARRAY(${LENDERS_OF('s.supplier_id')}) || COALESCE(p.holders, '{}'))::text[] AS parties
         FROM (SELECT supplier_id FROM pledges UNION SELECT supplier_id FROM invoices) s
         JOIN organizations o ON o.id = s.supplier_id
         LEFT JOIN pledges p ON p.supplier_id = s.supplier_id
         LEFT JOIN invoices i ON i.supplier_id = s.supplier_id`,
    )) as Array<{
      supplier_id: string;
      name: string;
      refused: number;
      duplicates: number;
      parties: string[];
    }>;
    return rows.flatMap((row) => {
      const finding = duplicateAttempts({
        refusedPledges: row.refused,
        duplicateInvoices: row.duplicates,
      });
      const parties = [...new Set(row.parties.filter(Boolean))];
      return finding && parties.length > 0
        ? [
            {
              type: AlertType.DUPLICATE_ATTEMPT,
              conditionKey: `DUPLICATE_ATTEMPT:${row.supplier_id}`,
              subjectType: 'supplier',
              subjectId: row.supplier_id,
              partyIds: parties,
              title: `${row.name}: ${finding.figures.attempts} duplicate invoices or double pledges in 30 days`,
              ...finding,
            },
          ]
        : [];
    });
  }

  private async growth(): Promise<AlertCondition[]> {
    const rows = (await this.tx.manager.query(
      `WITH financed AS (
         SELECT supplier_id, currency, sum(advance_amount) AS financed, array_agg(DISTINCT financier_id) AS financiers
           FROM financings
          WHERE disbursed_at > now() - interval '30 days'
            AND status IN ('DISBURSED','SETTLED','OVERDUE','RECOVERED','WRITTEN_OFF')
          GROUP BY supplier_id, currency
       )
       SELECT f.supplier_id, f.currency, o.name, f.financed::text AS financed,
              COALESCE((SELECT sum(i.confirmed_amount) FROM invoices i
                         WHERE i.supplier_id = f.supplier_id AND i.currency = f.currency AND i.confirmed_amount IS NOT NULL
                           AND i.created_at <= now() - interval '30 days' AND i.created_at > now() - interval '13 months'), 0)::text AS confirmed,
              (ARRAY(${LENDERS_OF('f.supplier_id')}) || f.financiers::uuid[])::text[] AS parties
         FROM financed f JOIN organizations o ON o.id = f.supplier_id`,
    )) as Array<{
      supplier_id: string;
      currency: string;
      name: string;
      financed: string;
      confirmed: string;
      parties: string[];
    }>;
    return rows.flatMap((row) => {
      const currency = row.currency.trim();
      const finding = rapidGrowth({
        financed30d: formatMoney(row.financed, currency),
        confirmed12m: formatMoney(row.confirmed, currency),
      });
      return finding
        ? [
            {
              type: AlertType.RAPID_GROWTH,
              conditionKey: `RAPID_GROWTH:${row.supplier_id}:${row.currency.trim()}`,
              subjectType: 'supplier',
              subjectId: row.supplier_id,
              partyIds: [...new Set(row.parties)],
              title: `${row.name}: ${currency} ${finding.figures.financed30d} financed in 30 days against ${finding.figures.averageMonthlyTrade} of trade a month`,
              ...finding,
            },
          ]
        : [];
    });
  }
}
