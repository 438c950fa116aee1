import { randomInt, randomUUID } from 'node:crypto';
import { OrganizationKind, Role } from '../../src/common/auth/roles';
import {
  acceptProgram,
  apiKeyHeader,
  bearer,
  countRows,
  createApiKey,
  createProgram,
  createTenant,
  eventually,
  expectProblem,
  expectStatus,
  fakeLei,
  inviteMember,
  platformAdminToken,
  snapshotCounts,
  WRITE_TABLES,
  type Tenant,
} from '../support/fixtures';
import { startTestApp, type TestApp } from '../support/test-app';

const TABLES = [...WRITE_TABLES, 'audit_chain_heads'];

/** A 13-digit GLN-like value, unique enough for one test file. */
const uniqueGln = (): string => String(randomInt(10 ** 12, 10 ** 13));

describe('organisations: identifiers, program counterparts and the directory', () => {
  let t: TestApp;
  let platform: string;
  let anchor: Tenant;
  let supplier: Tenant;
  let otherSupplier: Tenant;
  let financier: Tenant;
  let otherFinancier: Tenant;
  let stranger: Tenant;

  beforeAll(async () => {
    t = await startTestApp();
    platform = await platformAdminToken(t);
    const tenant = (kind: OrganizationKind, roles: Role[] = []) =>
      createTenant(t, kind, { platformToken: platform, roles });
    anchor = await tenant(OrganizationKind.ANCHOR);
    supplier = await tenant(OrganizationKind.SUPPLIER, [Role.OPERATOR, Role.VIEWER]);
    otherSupplier = await tenant(OrganizationKind.SUPPLIER);
    financier = await tenant(OrganizationKind.FINANCIER);
    otherFinancier = await tenant(OrganizationKind.FINANCIER);
    stranger = await tenant(OrganizationKind.ANCHOR);
  });
  afterAll(() => t.close());

  const addIdentifier = (organizationId: string, token: string | null, body: object) => {
    const request = t.http().post(`/api/v1/organizations/${organizationId}/identifiers`);
    if (token) request.set(...bearer(token));
    return request.send(body);
  };
  const getOrganization = (id: string, token: string) =>
    t
      .http()
      .get(`/api/v1/organizations/${id}`)
      .set(...bearer(token));
  const listIds = async (token: string, query = ''): Promise<string[]> => {
    const response = await t
      .http()
      .get(`/api/v1/organizations?limit=200${query}`)
      .set(...bearer(token));
    expectStatus(response, 200);
    expect(response.body.nextCursor).toBeNull();
    return (response.body.items as Array<{ id: string }>).map((item) => item.id).sort();
  };
  const snapshot = () => snapshotCounts(t, TABLES);

  describe('POST /organizations/:id/identifiers', () => {
    it('registers an identifier for the organisation’s own ADMIN: 201 with it in the view, audited and announced', async () => {
      const value = uniqueGln();
      const response = await addIdentifier(supplier.id, supplier.admin.token, {
        scheme: '0088',
        value: `  ${value} `,
      });
      expectStatus(response, 201);
      expect(response.body).toMatchObject({
        id: supplier.id,
        kind: 'SUPPLIER',
        registrationId: supplier.registrationId,
        identifiers: [{ scheme: '0088', value }],
      });
      expect(
        await countRows(t, 'organization_identifiers', 'organization_id = $1', [supplier.id]),
      ).toBe(1);
      const [event] = (await t.db.query(
        `SELECT id, data FROM audit_events WHERE organization_id = $1 AND action = 'organization.identifier_added'`,
        [supplier.id],
      )) as Array<{ id: string; data: Record<string, unknown> }>;
      expect(event.data).toEqual({ scheme: '0088', value });
      await eventually(
        async () =>
          (await countRows(t, 'notifications', 'organization_id = $1 AND event_id = $2', [
            supplier.id,
            event.id,
          ])) === 1,
        15_000,
        'identifier notification',
      );
      const fetched = await getOrganization(supplier.id, supplier.members.VIEWER!.token);
      expect(fetched.body.identifiers).toEqual([{ scheme: '0088', value }]);
    });

    it('lets the platform ADMIN register an identifier of any organisation, into that organisation’s chain', async () => {
      const lei = fakeLei();
      const response = await addIdentifier(otherSupplier.id, platform, {
        scheme: '0199',
        value: lei,
      });
      expectStatus(response, 201);
      expect(response.body.identifiers).toEqual([{ scheme: '0199', value: lei }]);
      expect(
        await countRows(
          t,
          'audit_events',
          `organization_id = $1 AND action = 'organization.identifier_added' AND data->>'value' = $2`,
          [otherSupplier.id, lei],
        ),
      ).toBe(1);
    });

    it('answers 200 with the organisation unchanged when the identifier is already its own, writing nothing', async () => {
      const value = uniqueGln();
      expectStatus(
        await addIdentifier(financier.id, financier.admin.token, { scheme: '0088', value }),
        201,
      );
      const before = await snapshot();
      const again = await addIdentifier(financier.id, financier.admin.token, {
        scheme: '0088',
        value,
      });
      expectStatus(again, 200);
      expect(again.body.identifiers).toEqual([{ scheme: '0088', value }]);
      expect(await snapshot()).toEqual(before);
    });

    it('refuses an identifier of another organisation with 409 DUPLICATE_IDENTIFIER, naming no one, writing nothing', async () => {
      const value = uniqueGln();
      expectStatus(
        await addIdentifier(otherFinancier.id, otherFinancier.admin.token, {
          scheme: '0088',
          value,
        }),
        201,
      );
      const before = await snapshot();
      const problem = expectProblem(
        await addIdentifier(financier.id, financier.admin.token, { scheme: '0088', value }),
        409,
        'DUPLICATE_IDENTIFIER',
      );
      expect(problem.errors).toEqual([
        expect.objectContaining({ field: 'value', code: 'DUPLICATE' }),
      ]);
      const text = JSON.stringify(problem);
      expect(text).not.toContain(otherFinancier.id);
      expect(text).not.toContain(otherFinancier.name);
      expect(await snapshot()).toEqual(before);
      // the same value under another scheme is another identifier
      expectStatus(
        await addIdentifier(financier.id, financier.admin.token, { scheme: '0007', value }),
        201,
      );
    });

    it('answers two simultaneous registrations of one identifier for two organisations with one 201 and one 409', async () => {
      const value = uniqueGln();
      const responses = await Promise.all([
        addIdentifier(anchor.id, anchor.admin.token, { scheme: '0088', value }),
        addIdentifier(stranger.id, stranger.admin.token, { scheme: '0088', value }),
      ]);
      expect(responses.map((response) => response.status).sort()).toEqual([201, 409]);
      expect(
        await countRows(t, 'organization_identifiers', `scheme = '0088' AND value = $1`, [value]),
      ).toBe(1);
    });

    it.each([
      [
        'a scheme that is not four digits',
        { scheme: 'GLN', value: '5790000436101' },
        'scheme:MATCHES',
      ],
      ['a five-digit scheme', { scheme: '01999', value: '5790000436101' }, 'scheme:MATCHES'],
      ['a JSON number as scheme', { scheme: 88, value: '5790000436101' }, 'scheme:MATCHES'],
      ['a blank value', { scheme: '0088', value: '   ' }, 'value:MIN_LENGTH'],
      [
        'a value over 100 characters',
        { scheme: '0088', value: 'x'.repeat(101) },
        'value:MAX_LENGTH',
      ],
      ['no value', { scheme: '0088' }, 'value:IS_STRING'],
      [
        'an unknown field',
        { scheme: '0088', value: '1', organizationId: randomUUID() },
        'organizationId:UNKNOWN_FIELD',
      ],
    ])('refuses %s with 422 naming the field, writing nothing', async (_what, body, expected) => {
      const before = await snapshot();
      const problem = expectProblem(
        await addIdentifier(supplier.id, supplier.admin.token, body),
        422,
        'VALIDATION_FAILED',
      );
      expect(
        (problem.errors as Array<{ field: string; code: string }>).map(
          (error) => `${error.field}:${error.code}`,
        ),
      ).toContain(expected);
      expect(await snapshot()).toEqual(before);
    });

    it('answers 403 to a non-ADMIN and to a program counterpart, 404 to an organisation that cannot see it, 401 without credentials', async () => {
      const program = await createProgram(t, anchor);
      await inviteMember(t, anchor, program.id, otherSupplier);
      const before = await snapshot();
      const body = { scheme: '0088', value: uniqueGln() };
      for (const token of [supplier.members.OPERATOR!.token, supplier.members.VIEWER!.token]) {
        expectProblem(await addIdentifier(supplier.id, token, body), 403, 'FORBIDDEN');
      }
      // the anchor sees the supplier it invited, but does not administer it
      expectStatus(await getOrganization(otherSupplier.id, anchor.admin.token), 200);
      expectProblem(
        await addIdentifier(otherSupplier.id, anchor.admin.token, body),
        403,
        'FORBIDDEN',
      );
      const hidden = expectProblem(
        await addIdentifier(otherSupplier.id, stranger.admin.token, body),
        404,
        'NOT_FOUND',
      );
      expect(JSON.stringify(hidden)).not.toContain(otherSupplier.name);
      expectProblem(await addIdentifier(randomUUID(), platform, body), 404, 'NOT_FOUND');
      expectProblem(await addIdentifier('not-a-uuid', platform, body), 404, 'NOT_FOUND');
      expectProblem(await addIdentifier(supplier.id, null, body), 401, 'UNAUTHENTICATED');
      expect(await snapshot()).toEqual(before);
    });

    it('replays a repeated Idempotency-Key (201, one identifier), and refuses the key for another body', async () => {
      const send = (value: string) =>
        t
          .http()
          .post(`/api/v1/organizations/${anchor.id}/identifiers`)
          .set(...bearer(anchor.admin.token))
          .set('Idempotency-Key', 'identifier-1')
          .send({ scheme: '0088', value });
      const value = uniqueGln();
      const first = await send(value);
      expectStatus(first, 201);
      const afterFirst = await snapshot();
      const again = await send(value);
      expectStatus(again, 201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await snapshot()).toEqual(afterFirst);
      expectProblem(await send(uniqueGln()), 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await snapshot()).toEqual(afterFirst);
    });
  });

  describe('who sees which organisation', () => {
    let anchorB: Tenant;
    let supplierB: Tenant;
    let supplierC: Tenant;
    let financierB: Tenant;
    let financierC: Tenant;
    let outsider: Tenant;

    beforeAll(async () => {
      const tenant = (kind: OrganizationKind) => createTenant(t, kind, { platformToken: platform });
      anchorB = await tenant(OrganizationKind.ANCHOR);
      supplierB = await tenant(OrganizationKind.SUPPLIER);
      supplierC = await tenant(OrganizationKind.SUPPLIER);
      financierB = await tenant(OrganizationKind.FINANCIER);
      financierC = await tenant(OrganizationKind.FINANCIER);
      outsider = await tenant(OrganizationKind.SUPPLIER);
    });

    it('shows a tenant only itself until it shares a program', async () => {
      expect(await listIds(anchorB.admin.token)).toEqual([anchorB.id]);
      expectProblem(await getOrganization(supplierB.id, anchorB.admin.token), 404, 'NOT_FOUND');
      expectProblem(await getOrganization(anchorB.id, supplierB.admin.token), 404, 'NOT_FOUND');
    });

    it('shows program counterparts: anchor ↔ suppliers and financiers, supplier ↔ financiers; not suppliers to each other, nor financiers', async () => {
      const program = await createProgram(t, anchorB);
      await inviteMember(t, anchorB, program.id, supplierB);
      await inviteMember(t, anchorB, program.id, supplierC);
      await acceptProgram(t, supplierB, program.id);
      await inviteMember(t, anchorB, program.id, financierB);
      await inviteMember(t, anchorB, program.id, financierC);

      const sorted = (...ids: string[]) => ids.sort();
      expect(await listIds(anchorB.admin.token)).toEqual(
        sorted(anchorB.id, supplierB.id, supplierC.id, financierB.id, financierC.id),
      );
      expect(await listIds(supplierB.admin.token)).toEqual(
        sorted(supplierB.id, anchorB.id, financierB.id, financierC.id),
      );
      // an invited supplier sees who invited it
      expect(await listIds(supplierC.admin.token)).toEqual(
        sorted(supplierC.id, anchorB.id, financierB.id, financierC.id),
      );
      expect(await listIds(financierB.admin.token)).toEqual(
        sorted(financierB.id, anchorB.id, supplierB.id, supplierC.id),
      );
      expect(await listIds(outsider.admin.token)).toEqual([outsider.id]);

      expectStatus(await getOrganization(supplierB.id, anchorB.admin.token), 200);
      expectStatus(await getOrganization(anchorB.id, supplierB.admin.token), 200);
      expectStatus(await getOrganization(financierB.id, supplierB.admin.token), 200);
      expectStatus(await getOrganization(supplierB.id, financierB.admin.token), 200);
      for (const [id, token] of [
        [supplierC.id, supplierB.admin.token],
        [financierC.id, financierB.admin.token],
        [supplierB.id, outsider.admin.token],
        [anchorB.id, outsider.admin.token],
      ]) {
        expectProblem(await getOrganization(id, token), 404, 'NOT_FOUND');
      }
      // the platform still sees every organisation
      expect(await countRows(t, 'organizations')).toBe((await listIds(platform)).length);
    });
  });

  describe('the directory: GET /organizations?registrationId=', () => {
    it('finds the organisation with exactly that registration id for any member, even one it cannot otherwise see', async () => {
      const directory = await createTenant(t, OrganizationKind.SUPPLIER, {
        platformToken: platform,
      });
      expectProblem(await getOrganization(directory.id, stranger.admin.token), 404, 'NOT_FOUND');
      const response = await t
        .http()
        .get(`/api/v1/organizations?registrationId=${directory.registrationId}`)
        .set(...bearer(stranger.admin.token));
      expectStatus(response, 200);
      expect(response.body).toEqual({
        items: [
          expect.objectContaining({
            id: directory.id,
            kind: 'SUPPLIER',
            name: directory.name,
            registrationId: directory.registrationId,
          }),
        ],
        nextCursor: null,
      });
      // lower case and surrounding spaces are normalised, as on onboarding
      expect(
        await listIds(
          stranger.admin.token,
          `&registrationId=${encodeURIComponent(` ${directory.registrationId.toLowerCase()} `)}`,
        ),
      ).toEqual([directory.id]);
      // ERP systems (API keys, any role) may look up too
      const key = await createApiKey(t, stranger, { roles: [Role.VIEWER] });
      const byKey = await t
        .http()
        .get(`/api/v1/organizations?registrationId=${directory.registrationId}`)
        .set(...apiKeyHeader(key.key));
      expectStatus(byKey, 200);
      expect((byKey.body.items as Array<{ id: string }>).map((item) => item.id)).toEqual([
        directory.id,
      ]);
    });

    it('matches exactly: a prefix, an unknown id or another kind find nothing; without the filter the list stays scoped', async () => {
      const prefix = supplier.registrationId.slice(0, 10);
      expect(await listIds(stranger.admin.token, `&registrationId=${prefix}`)).toEqual([]);
      expect(await listIds(stranger.admin.token, '&registrationId=91110000000000000X')).toEqual([]);
      expect(
        await listIds(
          stranger.admin.token,
          `&registrationId=${supplier.registrationId}&kind=FINANCIER`,
        ),
      ).toEqual([]);
      expect(
        await listIds(
          stranger.admin.token,
          `&registrationId=${supplier.registrationId}&kind=SUPPLIER`,
        ),
      ).toEqual([supplier.id]);
      expect(await listIds(stranger.admin.token, '&kind=SUPPLIER')).toEqual([]);
      expectProblem(
        await t
          .http()
          .get(`/api/v1/organizations?registrationId=${'X'.repeat(21)}`)
          .set(...bearer(stranger.admin.token)),
        422,
        'VALIDATION_FAILED',
      );
    });

    it('lets an anchor find a financier by its registration id and invite it', async () => {
      const found = await t
        .http()
        .get(`/api/v1/organizations?registrationId=${otherFinancier.registrationId}`)
        .set(...bearer(stranger.admin.token));
      expectStatus(found, 200);
      const [{ id }] = found.body.items as Array<{ id: string }>;
      const program = await createProgram(t, stranger);
      const invited = await t
        .http()
        .post(`/api/v1/programs/${program.id}/financiers`)
        .set(...bearer(stranger.admin.token))
        .send({ financierId: id });
      expectStatus(invited, 201);
      expectStatus(await getOrganization(otherFinancier.id, stranger.admin.token), 200);
    });

    it('needs credentials: 401 without', async () => {
      expectProblem(
        await t.http().get(`/api/v1/organizations?registrationId=${supplier.registrationId}`),
        401,
        'UNAUTHENTICATED',
      );
    });
  });
});
