import { addDays } from '../../common/calendar/business-calendar';
import { OrganizationKind, Role } from '../../common/auth/roles';
import { Decimal } from '../../common/money/decimal';
import { usccCheckCharacter } from '../../organizations/registration-id/registration-id';
import type { GuaranteePage, GuaranteeView } from '../../risk/guarantees/guarantee.view';
import { ApiError, type ApiClient, type OrganizationView, type PageOf } from './api-client';
import { demoUser, type DemoSeed } from './seed-organizations';
import type { TradeWalk } from './walk-trade';

/** The government SME financing guarantee fund: it guarantees the program and pays into its pool. */
export const DEMO_GUARANTOR = {
  name: '江苏省中小企业融资担保基金 (Jiangsu SME Financing Guarantee Fund)',
  registrationId: `91320000MA1X7GFD8${usccCheckCharacter('91320000MA1X7GFD8')}`,
  email: 'admin@guarantee-fund.demo',
};

/**
 * The program's spread per credit grade (bps), set by the anchor so that the grade, and the
 * guarantee's relief on it, show in the offers.
 */
const DEMO_SPREADS = { A: 0, B: 30, C: 80, D: 150, E: 300 };

const GUARANTEE_TERMS = { coverageRatio: '0.5', capAmount: '5000000.00' };

export interface GuaranteeSetup {
  guarantor: OrganizationView;
  /** Signed in as the guarantor's ADMIN. */
  guarantorAdmin: ApiClient;
  guarantee: GuaranteeView;
  /** False when an earlier run had set it up already. */
  created: boolean;
}

/**
 * Before the money flows: the anchor prices risk by grade, the platform registers the fund's
 * guarantee on the program (half of each loss, CNY 5,000,000.00 at once, a year), and the fund
 * accepts it. The financings of the walk are then covered and their offers priced lower.
 * A rerun finds the guarantee ACTIVE and keeps it.
 */
export async function setUpGuarantee(
  client: ApiClient,
  seed: DemoSeed,
  trade: TradeWalk,
  log: (line: string) => void,
): Promise<GuaranteeSetup> {
  const platformAdmin = client.withToken(demoUser(seed, 'platform', Role.ADMIN).token);
  const anchorAdmin = client.withToken(demoUser(seed, 'anchor', Role.ADMIN).token);
  await anchorAdmin.patch(`/api/v1/programs/${trade.program.id}`, { riskSpreadBps: DEMO_SPREADS });
  log(
    `the anchor prices supplier risk by grade: ${Object.entries(DEMO_SPREADS)
      .map(([grade, bps]) => `${grade} ${bps} bps`)
      .join(', ')}`,
  );
  const guarantor = await guarantorOrganization(platformAdmin, seed.password);
  const guarantorAdmin = await client.signedIn(DEMO_GUARANTOR.email, seed.password);
  const existing = await guarantorAdmin.get<GuaranteePage>('/api/v1/guarantees', {
    programId: trade.program.id,
    status: 'ACTIVE',
  });
  if (existing.items[0]) {
    log(`${guarantor.name} already guarantees the program (${existing.items[0].id})`);
    return { guarantor, guarantorAdmin, guarantee: existing.items[0], created: false };
  }
  const proposed = await platformAdmin.post<GuaranteeView>(
    `/api/v1/programs/${trade.program.id}/guarantees`,
    {
      guarantorId: guarantor.id,
      ...GUARANTEE_TERMS,
      validFrom: addDays(trade.today, -1),
      validTo: addDays(trade.today, 365),
    },
  );
  const guarantee = await guarantorAdmin.post<GuaranteeView>(
    `/api/v1/guarantees/${proposed.id}/accept`,
    undefined,
  );
  log(
    `${guarantor.name} accepted a guarantee on the program: ${percent(guarantee.coverageRatio)} of each loss, CNY ${guarantee.capAmount} at once, ${guarantee.validFrom} to ${guarantee.validTo}`,
  );
  return { guarantor, guarantorAdmin, guarantee, created: true };
}

export function percent(ratio: string): string {
  return `${new Decimal(ratio).times('100').toFixed()} %`;
}

async function guarantorOrganization(
  platformAdmin: ApiClient,
  password: string,
): Promise<OrganizationView> {
  try {
    return await platformAdmin.post<OrganizationView>('/api/v1/organizations', {
      kind: OrganizationKind.GUARANTOR,
      name: DEMO_GUARANTOR.name,
      registrationId: DEMO_GUARANTOR.registrationId,
      admin: { email: DEMO_GUARANTOR.email, password, name: 'Fund Administrator' },
    });
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 409) throw error;
    const found = await platformAdmin.get<PageOf<OrganizationView>>('/api/v1/organizations', {
      registrationId: DEMO_GUARANTOR.registrationId,
    });
    if (!found.items[0]) throw error;
    return found.items[0];
  }
}
