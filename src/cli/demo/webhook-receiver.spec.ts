import { signWebhook } from '../../webhooks/webhook-signature';
import { DemoWebhookReceiver } from './webhook-receiver';

describe('DemoWebhookReceiver', () => {
  const receiver = new DemoWebhookReceiver();
  let url: string;

  beforeAll(async () => {
    url = await receiver.start();
    receiver.expect('financier-jiangnan', 'whsec_demo');
  });
  afterAll(() => receiver.stop());

  const deliver = (id: string, secret: string, body: string, path = 'financier-jiangnan') => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    return fetch(`${url}/hooks/${path}`, {
      method: 'POST',
      body,
      headers: {
        'Content-Type': 'application/json',
        'X-Scf-Event-Id': id,
        'X-Scf-Event': 'financing.disbursed',
        'X-Scf-Timestamp': timestamp,
        'X-Scf-Signature': signWebhook(secret, timestamp, body),
      },
    });
  };

  it('keeps a verified event once, and refuses a wrong secret or an unknown path', async () => {
    const body = JSON.stringify({
      id: 'e1',
      event: 'financing.disbursed',
      occurredAt: '2026-11-30T06:00:00.000Z',
      data: { title: 'paid out' },
    });
    expect((await deliver('e1', 'whsec_demo', body)).status).toBe(204);
    expect((await deliver('e1', 'whsec_demo', body)).status).toBe(204);
    expect((await deliver('e2', 'whsec_other', body)).status).toBe(401);
    expect((await deliver('e3', 'whsec_demo', body, 'nobody')).status).toBe(401);
    expect(receiver.events).toEqual([
      {
        id: 'e1',
        event: 'financing.disbursed',
        occurredAt: '2026-11-30T06:00:00.000Z',
        to: 'financier-jiangnan',
        title: 'paid out',
      },
    ]);
    expect([receiver.duplicates, receiver.rejected]).toEqual([1, 2]);
  });
});
