import { preparedStatement, preparedStatementFor } from './prepared-statement';

describe('prepared statements', () => {
  it('gives one name one text for the life of the process', () => {
    expect(preparedStatement('spec.one', 'SELECT 1')).toEqual({
      name: 'spec.one',
      text: 'SELECT 1',
    });
    expect(preparedStatement('spec.one', 'SELECT 1').name).toBe('spec.one');
    expect(() => preparedStatement('spec.one', 'SELECT 2')).toThrow(/declared twice/);
  });

  it('names a built statement after its text, so each variant has its own name', () => {
    const a = preparedStatementFor('spec.insert', 'INSERT INTO t (a) VALUES ($1)');
    const b = preparedStatementFor('spec.insert', 'INSERT INTO t (a, b) VALUES ($1, $2)');
    expect(a.name).toMatch(/^spec\.insert:[0-9a-f]{16}$/);
    expect(b.name).not.toBe(a.name);
    expect(preparedStatementFor('spec.insert', 'INSERT INTO t (a) VALUES ($1)').name).toBe(a.name);
  });
});
