import { JobName } from './job-registry';
import { jobHandlerProblems, queuesWithJobs } from './job-handlers';

const allHandled = Object.values(JobName).map((job) => ({ job, owner: `Handler.${job}` }));

describe('job handler start-up check', () => {
  it('passes when every job has exactly one handler', () => {
    expect(jobHandlerProblems(allHandled)).toEqual([]);
  });

  it('names a job without a handler', () => {
    const missing = allHandled.filter((handler) => handler.job !== JobName.NOTIFY_ORGANIZATION);
    expect(jobHandlerProblems(missing)).toEqual([
      `job "${JobName.NOTIFY_ORGANIZATION}" has no @OnJob handler`,
    ]);
  });

  it('names a job with two handlers', () => {
    const doubled = [...allHandled, { job: JobName.PURGE_RELAYED_OUTBOX, owner: 'Other.purge' }];
    expect(jobHandlerProblems(doubled)).toEqual([
      `job "${JobName.PURGE_RELAYED_OUTBOX}" has 2 handlers: Handler.${JobName.PURGE_RELAYED_OUTBOX}, Other.purge`,
    ]);
  });

  it('names a handler of a job that does not exist', () => {
    const unknown = [...allHandled, { job: 'send-fax' as JobName, owner: 'Fax.send' }];
    expect(jobHandlerProblems(unknown)).toEqual(['Fax.send handles unknown job "send-fax"']);
  });

  it('lists the queues that need workers', () => {
    expect(queuesWithJobs().sort()).toEqual([
      'documents',
      'maintenance',
      'notifications',
      'offers',
      'verification',
    ]);
  });
});
