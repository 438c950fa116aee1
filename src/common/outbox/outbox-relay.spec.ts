import { JobName } from '../jobs/job-registry';
import { coalesce, type PendingRow } from './outbox-relay';

describe('the relay merges the rows of set-based jobs', () => {
  const row = (id: string, job: string, payload: unknown): PendingRow => ({
    id,
    job_name: job,
    payload,
  });

  it('makes one pricing job of a batch’s request rows, under the smallest row id, and leaves other jobs one per row', () => {
    const jobs = coalesce([
      row('0003', JobName.PRICE_FINANCING_REQUEST, { requestIds: ['r3'] }),
      row('0002', JobName.NOTIFY_ORGANIZATION, { eventId: 'e1' }),
      row('0001', JobName.PRICE_FINANCING_REQUEST, { requestIds: ['r1'] }),
      row('0004', JobName.PRICE_FINANCING_REQUEST, { requestIds: ['r4', 'r1'] }),
      row('0005', JobName.NOTIFY_ORGANIZATION, { eventId: 'e2' }),
    ]);
    expect(jobs).toEqual([
      row('0002', JobName.NOTIFY_ORGANIZATION, { eventId: 'e1' }),
      row('0005', JobName.NOTIFY_ORGANIZATION, { eventId: 'e2' }),
      row('0001', JobName.PRICE_FINANCING_REQUEST, { requestIds: ['r3', 'r1', 'r4'] }),
    ]);
  });

  it('relays the same rows again as the same job id', () => {
    const rows = [
      row('b', JobName.PRICE_FINANCING_REQUEST, { requestIds: ['r2'] }),
      row('a', JobName.PRICE_FINANCING_REQUEST, { requestIds: ['r1'] }),
    ];
    expect(coalesce(rows)[0].id).toBe('a');
    expect(coalesce([...rows].reverse())[0].id).toBe('a');
  });
});
