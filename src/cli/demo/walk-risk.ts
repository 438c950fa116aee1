import { Role } from '../../common/auth/roles';
import type { RiskAlertView } from '../../risk/alerts/risk-alert.view';
import type { ProfileView } from '../../risk/profile/profile.view';
import type { ScoreView } from '../../risk/score/score.view';
import type { PoolClaimView, RiskPoolView } from '../../risk/pool/risk-pool.view';
import type { FinancingRequestView } from '../../financing/dto/financing-request.view';
import type { FinancingView } from '../../financing/dto/financing.view';
import type { GuaranteeClaimView, GuaranteeView } from '../../risk/guarantees/guarantee.view';
import { percent, type GuaranteeSetup } from './walk-guarantee';
import { ApiError, type ApiClient, type PageOf } from './api-client';
import { demoOrganization, demoUser, type DemoSeed } from './seed-organizations';
import type { FinancingWalk } from './walk-financing';
import type { TradeWalk } from './walk-trade';
import type { DemoWebhookReceiver, ReceivedEvent } from './webhook-receiver';

/** Who the demo registers webhooks for, and to which events. */
const WEBHOOKS: ReadonlyArray<{ key: string; events: string[] }> = [
  {
    key: 'financier-jiangnan',
    events: [
      'financing.accepted',
      'financing.approved',
      'financing.disbursed',
      'financing.settled',
      'financing.overdue',
      'pledge.active',
      'pledge.margin_call',
      'pledge.released',
      'document.ready',
      'alert.raised',
    ],
  },
  {
    key: 'supplier-hengxin',
    events: [
      'invoice.verified',
      'invoice.confirmed',
      'invoice.exception',
      'financing_request.offered',
      'financing.disbursed',
      'pledge.active',
      'pledge.margin_call',
      'pledge.released',
    ],
  },
];

const PLATFORM_APPROVER = { email: 'approver@scf-portal.demo', name: '平台复核 Platform Checker' };

export interface WalkedScore {
  name: string;
  profile: ProfileView;
  score: ScoreView;
}

export interface RiskWalk {
  scores: WalkedScore[];
  webhooks: Array<{ key: string; id: string; events: number }>;
  received: ReceivedEvent[];
  rejected: number;
  duplicates: number;
  alerts: RiskAlertView[];
  pool: RiskPoolView;
  claim: PoolClaimView;
  writtenOff: { reference: string; amount: string };
  guarantee: WalkedGuarantee;
}

export interface WalkedGuarantee {
  guarantorName: string;
  coverageRatio: string;
  capAmount: string;
  usedAmount: string;
  /** The offer 苏州恒信电子 accepted: the grade's spread and what the guarantee took off it. */
  offer: { riskSpreadBps: number; spreadReliefBps: number; coveredAmount: string } | null;
  /** The claim the write-off recorded against the guarantor, paid to the financier. */
  claim: { amount: string; status: string } | null;
}

/** Registers the demo's webhooks (before the walks, so the events of the whole demo arrive). */
export async function registerDemoWebhooks(
  client: ApiClient,
  seed: DemoSeed,
  receiver: DemoWebhookReceiver,
  baseUrl: string,
  log: (line: string) => void,
): Promise<RiskWalk['webhooks']> {
  const registered: RiskWalk['webhooks'] = [];
  for (const { key, events } of WEBHOOKS) {
    const admin = client.withToken(demoUser(seed, key, Role.ADMIN).token);
    const webhook = await admin.post<{ id: string; secret: string }>('/api/v1/webhooks', {
      url: `${baseUrl}/hooks/${key}`,
      events,
    });
    receiver.expect(key, webhook.secret);
    registered.push({ key, id: webhook.id, events: events.length });
    log(`${demoOrganization(seed, key).name} registered a webhook for ${events.length} events`);
  }
  return registered;
}

/**
 * Risk, after the money and the pledge: the alerts the walk-throughs raised, then the program's
 * risk compensation pool — a guarantee fund and the platform pay in, the overdue financing is
 * written off (which records the claim on the fund's guarantee; the financier records its
 * payment), its financier claims the rest from the pool, a platform APPROVER approves the payout.
 */
export async function walkRisk(
  client: ApiClient,
  seed: DemoSeed,
  trade: TradeWalk,
  financing: FinancingWalk,
  guaranteeSetup: GuaranteeSetup,
  receiver: DemoWebhookReceiver,
  webhooks: RiskWalk['webhooks'],
  options: { log?: (line: string) => void; timeoutMs?: number } = {},
): Promise<RiskWalk> {
  const log = options.log ?? (() => undefined);
  const platformAdmin = client.withToken(demoUser(seed, 'platform', Role.ADMIN).token);
  const overdue = financing.overdue;
  const financierKey = overdue.financier.key;
  const as = (key: string, role: Role) => client.withToken(demoUser(seed, key, role).token);

  const scores: WalkedScore[] = [];
  for (const key of ['supplier-hengxin', 'supplier-northwind']) {
    const supplier = demoOrganization(seed, key);
    const own = as(key, Role.ADMIN);
    const profile = await own.post<ProfileView>(
      `/api/v1/organizations/${supplier.id}/profile/refresh`,
      undefined,
    );
    const score = await as(financierKey, Role.ADMIN).get<ScoreView>(
      `/api/v1/organizations/${supplier.id}/score`,
    );
    scores.push({ name: supplier.name, profile, score });
    log(
      `${supplier.name}: score ${score.score} (${score.grade}); costliest factors ${score.reasons
        .map((reason) => `${reason.code} ${reason.points}/${reason.maxPoints}`)
        .join(', ')}`,
    );
  }

  const alerts = await waitFor(
    async () => {
      const page = await as(financierKey, Role.ADMIN).get<PageOf<RiskAlertView>>('/api/v1/alerts', {
        limit: 50,
      });
      return page.items.some((alert) => alert.type === 'OVERDUE') ? page.items : undefined;
    },
    options.timeoutMs ?? 60_000,
    'the overdue alert',
  );
  log(
    `${overdue.financier.name} sees ${alerts.length} alert(s): ${[...new Set(alerts.map((a) => a.type))].join(', ')}`,
  );

  const guarantor = guaranteeSetup.guarantor;
  const approver = await platformUser(client, platformAdmin, seed, PLATFORM_APPROVER, [
    Role.APPROVER,
  ]);
  const poolPath = `/api/v1/programs/${trade.program.id}/pool`;
  await platformAdmin.put<RiskPoolView>(poolPath, {
    coverageRatio: '0.5',
    capPerLoss: '100000.00',
    claimAfterOverdueDays: 90,
  });
  await platformAdmin.post(`${poolPath}/contributions`, {
    amount: '300000.00',
    contributorId: guarantor.id,
  });
  await platformAdmin.post(`${poolPath}/contributions`, {
    amount: '200000.00',
    contributorId: seed.platform.id,
  });
  log(
    `risk compensation pool of the program: 50 % of a loss, at most CNY 100,000.00 per loss; ${guarantor.name} paid in 300,000.00, the platform 200,000.00`,
  );

  const written = await as(financierKey, Role.APPROVER).post<FinancingView>(
    `/api/v1/financings/${overdue.financing.id}/write-off`,
    {
      reason: 'Supplier insolvent; recourse exhausted (demo)',
    },
  );
  const writtenOff = {
    reference: written.reference,
    amount: overdue.financing.outstandingAmount ?? '',
  };
  log(`${overdue.financier.name} wrote off ${written.reference} (CNY ${writtenOff.amount})`);
  const guarantee = await walkGuaranteeClaim(
    client,
    seed,
    financing,
    guaranteeSetup,
    written,
    financierKey,
    log,
  );
  const requested = await as(financierKey, Role.OPERATOR).post<PoolClaimView>(
    `${poolPath}/claims`,
    {
      financingId: overdue.financing.id,
    },
  );
  const claim = await approver.post<PoolClaimView>(
    `/api/v1/pool-claims/${requested.id}/approve`,
    undefined,
  );
  log(
    `pool claim approved by the platform's checker: CNY ${claim.payout} paid towards a loss of ${claim.loss} (bound by ${claim.boundBy})`,
  );
  const pool = await platformAdmin.get<RiskPoolView>(poolPath);

  // The deliveries run in the worker: wait until the receiver has stopped getting new ones.
  let count = -1;
  await waitFor(
    async () => {
      const stable = receiver.events.length === count && count > 0;
      count = receiver.events.length;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return stable || undefined;
    },
    options.timeoutMs ?? 60_000,
    'the webhook deliveries',
  );
  log(
    `the demo's webhook receiver verified ${receiver.events.length} signed event(s), rejected ${receiver.rejected}`,
  );
  return {
    scores,
    webhooks,
    received: [...receiver.events],
    rejected: receiver.rejected,
    duplicates: receiver.duplicates,
    alerts,
    pool,
    claim,
    writtenOff,
    guarantee,
  };
}

/**
 * What the guarantee did along the way: the spread it took off the accepted offer, and on the
 * write-off the claim against the guarantor, whose payment the financier records.
 */
async function walkGuaranteeClaim(
  client: ApiClient,
  seed: DemoSeed,
  financing: FinancingWalk,
  setup: GuaranteeSetup,
  written: FinancingView,
  financierKey: string,
  log: (line: string) => void,
): Promise<WalkedGuarantee> {
  const request = await client
    .withToken(demoUser(seed, financing.settled.supplier.key, Role.ADMIN).token)
    .get<FinancingRequestView>(`/api/v1/financing-requests/${financing.settled.request.id}`);
  const accepted = request.offers.find((offer) => offer.status === 'ACCEPTED');
  const offer = accepted?.guarantee
    ? {
        riskSpreadBps: accepted.riskSpreadBps,
        spreadReliefBps: accepted.guarantee.spreadReliefBps,
        coveredAmount: accepted.guarantee.coveredAmount,
      }
    : null;
  if (offer)
    log(
      `${financing.settled.supplier.name}'s accepted offer: grade spread ${offer.riskSpreadBps} bps less ${offer.spreadReliefBps} bps for the guarantee covering CNY ${offer.coveredAmount}`,
    );
  let claim: WalkedGuarantee['claim'] = null;
  if (written.guarantee?.claim) {
    const paid = await client
      .withToken(demoUser(seed, financierKey, Role.OPERATOR).token)
      .post<GuaranteeClaimView>(`/api/v1/guarantee-claims/${written.guarantee.claim.id}/settle`, {
        paidAt: new Date().toISOString(),
        bankReference: `JSGF-${written.reference}`,
      });
    claim = { amount: paid.amount, status: paid.status };
    log(
      `the write-off recorded a claim of CNY ${paid.amount} against ${setup.guarantor.name}; ${written.reference}'s financier recorded its payment (${paid.status})`,
    );
  }
  const now = await setup.guarantorAdmin.get<GuaranteeView>(
    `/api/v1/guarantees/${setup.guarantee.id}`,
  );
  return {
    guarantorName: setup.guarantor.name,
    coverageRatio: now.coverageRatio,
    capAmount: now.capAmount,
    usedAmount: now.usedAmount,
    offer,
    claim,
  };
}

export function formatRiskSummary(walk: RiskWalk): string[] {
  const byEvent = new Map<string, number>();
  for (const event of walk.received) byEvent.set(event.event, (byEvent.get(event.event) ?? 0) + 1);
  const relationships = (score: WalkedScore) =>
    score.profile.relationships
      .map(
        (r) =>
          `${r.anchorId === null ? 'pledges' : 'anchor'} ${r.currency}: ${r.invoices12m} invoice(s) in 12 months, confirmation ${r.confirmationRate ?? '–'}, exceptions ${r.verificationExceptionRate ?? '–'}, on time ${r.onTimeSettlementRate ?? '–'}`,
      )
      .join('; ');
  return [
    'Risk and trust:',
    ...walk.scores.flatMap((score) => [
      `  ${score.name}: score ${score.score.score} / 1000, grade ${score.score.grade} (${score.score.weightsKey} weights); reasons ${score.score.reasons.map((reason) => `${reason.code} ${reason.points}/${reason.maxPoints}`).join(', ')}`,
      `    profile: ${relationships(score) || 'no relationship yet'}`,
    ]),
    ...alertLines(walk.alerts),
    `  risk pool: contributed CNY ${walk.pool.contributed}, paid out ${walk.pool.paidOut}, balance ${walk.pool.balance}`,
    `  guarantee by ${walk.guarantee.guarantorName}: ${percent(walk.guarantee.coverageRatio)} of each loss, CNY ${walk.guarantee.usedAmount} of ${walk.guarantee.capAmount} in use${walk.guarantee.offer ? `; the accepted offer's ${walk.guarantee.offer.riskSpreadBps} bps spread was lowered by ${walk.guarantee.offer.spreadReliefBps} bps` : ''}`,
    `  write-off of ${walk.writtenOff.reference} (CNY ${walk.writtenOff.amount}): guarantor claimed CNY ${walk.guarantee.claim ? `${walk.guarantee.claim.amount} (${walk.guarantee.claim.status})` : '0.00'}; pool paid CNY ${walk.claim.payout} of the ${walk.claim.loss} left (min of loss × 50 %, cap, balance: ${walk.claim.boundBy})`,
    `  signed webhooks verified by the demo's receiver: ${walk.received.length} (${[...byEvent].map(([event, n]) => `${event} ×${n}`).join(', ')}); rejected ${walk.rejected}, duplicates ${walk.duplicates}`,
  ];
}

const STATE_ORDER: Record<string, number> = { OPEN: 0, ACKNOWLEDGED: 1, RESOLVED: 2 };

/**
 * The alerts as the financier's list holds them (newest first, from every demo run on this
 * database): a count per state, then the open ones before the resolved, at most `limit` lines.
 */
export function alertLines(
  alerts: ReadonlyArray<Pick<RiskAlertView, 'severity' | 'type' | 'title' | 'state'>>,
  limit = 8,
): string[] {
  const counts = new Map<string, number>();
  for (const alert of alerts) counts.set(alert.state, (counts.get(alert.state) ?? 0) + 1);
  const ordered = [...alerts].sort(
    (a, b) => (STATE_ORDER[a.state] ?? 3) - (STATE_ORDER[b.state] ?? 3),
  );
  return [
    `  alerts: ${[...counts].map(([state, n]) => `${n} ${state}`).join(', ') || 'none'}`,
    ...ordered
      .slice(0, limit)
      .map((alert) => `  alert ${alert.severity} ${alert.type}: ${alert.title} (${alert.state})`),
  ];
}

async function platformUser(
  client: ApiClient,
  platformAdmin: ApiClient,
  seed: DemoSeed,
  spec: { email: string; name: string },
  roles: Role[],
): Promise<ApiClient> {
  try {
    await platformAdmin.post(`/api/v1/organizations/${seed.platform.id}/users`, {
      email: spec.email,
      password: seed.password,
      name: spec.name,
      roles,
    });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 409) throw error;
  }
  return client.signedIn(spec.email, seed.password);
}

async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
