import type { AppConfig } from '../../config/app-config';
import { ResponseSealer } from './response-sealer';

const sealerWith = (secret: string) => new ResponseSealer({ jwt: { secret } } as AppConfig);

describe('ResponseSealer', () => {
  const body = {
    id: 'k1',
    key: 'scf_0123456789abcdef_secret-part-of-the-key-that-must-not-leak',
    roles: ['OPERATOR'],
  };

  it('opens what it sealed, and the sealed text does not contain the secret', () => {
    const sealer = sealerWith('s'.repeat(40));
    const sealed = sealer.seal(body);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('secret-part');
    expect(sealer.open(sealed)).toEqual(body);
  });

  it('seals the same body differently each time (random IV)', () => {
    const sealer = sealerWith('s'.repeat(40));
    expect(sealer.seal(body)).not.toBe(sealer.seal(body));
  });

  it('refuses a sealed body under another server secret, or altered', () => {
    const sealed = sealerWith('s'.repeat(40)).seal(body);
    expect(sealerWith('t'.repeat(40)).open(sealed)).toBeNull();
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[3], 'base64url');
    flipped[0] ^= 1;
    expect(
      sealerWith('s'.repeat(40)).open(
        [parts[0], parts[1], parts[2], flipped.toString('base64url')].join('.'),
      ),
    ).toBeNull();
    expect(sealerWith('s'.repeat(40)).open('v0.garbage')).toBeNull();
  });
});
