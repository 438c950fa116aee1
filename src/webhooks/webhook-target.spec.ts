import { checkWebhookTarget, urlFormRefusal, type Resolver } from './webhook-target';

const resolverOf =
  (table: Record<string, string[]>): Resolver =>
  async (hostname) => {
    const addresses = table[hostname];
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };

const dns = resolverOf({
  'hooks.example.com': ['93.184.216.34', '2606:2800:220:1::1'],
  'internal.example.com': ['10.20.30.40'],
  'mixed.example.com': ['93.184.216.34', '192.168.1.5'],
  'metadata.example.com': ['169.254.169.254'],
  'v6-private.example.com': ['fd00::5'],
  'mapped.example.com': ['::ffff:172.16.5.4'],
  localhost: ['127.0.0.1', '::1'],
  'empty.example.com': [],
});

const code = async (url: string, allowLoopback = false) =>
  (await checkWebhookTarget(url, { allowLoopback, resolve: dns })).refusal?.code ?? null;

describe('webhook URL rule', () => {
  it.each([
    ['not a URL', 'hooks.example.com/x', 'URL_FORMAT'],
    ['ftp', 'ftp://hooks.example.com/x', 'URL_SCHEME'],
    ['file', 'file:///etc/passwd', 'URL_SCHEME'],
    ['javascript', 'javascript:alert(1)', 'URL_SCHEME'],
    ['credentials', 'https://user:pass@hooks.example.com/x', 'URL_CREDENTIALS'],
    ['a user name alone', 'https://user@hooks.example.com/x', 'URL_CREDENTIALS'],
  ])('refuses %s by its form: %s', (_what, url, expected) => {
    expect(urlFormRefusal(url)?.code).toBe(expected);
  });

  it('accepts http and https URLs with a port, path and query', () => {
    expect(urlFormRefusal('https://hooks.example.com:8443/scf?tenant=1')).toBeNull();
    expect(urlFormRefusal('http://hooks.example.com/scf')).toBeNull();
  });

  it('gives the checked addresses of a public host', async () => {
    const target = await checkWebhookTarget('https://hooks.example.com/scf', {
      allowLoopback: false,
      resolve: dns,
    });
    expect(target.refusal).toBeUndefined();
    expect(target).toMatchObject({
      addresses: [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800:220:1::1', family: 6 },
      ],
    });
  });

  it.each([
    ['a name in 10/8', 'https://internal.example.com/x'],
    ['a name with one private address among public ones', 'https://mixed.example.com/x'],
    ['the cloud metadata address by name', 'http://metadata.example.com/latest'],
    ['a unique-local IPv6 name', 'https://v6-private.example.com/x'],
    ['an IPv4-mapped IPv6 private address by name', 'https://mapped.example.com/x'],
    ['an IPv4 literal in 192.168/16', 'http://192.168.0.10/hook'],
    ['an IPv4 literal in 172.16/12', 'http://172.20.1.1/hook'],
    ['an IPv4 literal in 100.64/10', 'http://100.100.100.200/hook'],
    ['169.254.169.254', 'http://169.254.169.254/latest/meta-data'],
    ['an IPv6 literal fe80::/10', 'http://[fe80::1]/hook'],
    ['an IPv6 literal fc00::/7', 'http://[fc00::1]:8080/hook'],
    ['an IPv4-mapped IPv6 literal', 'http://[::ffff:10.0.0.1]/hook'],
    ['0.0.0.0 (reaches this host)', 'http://0.0.0.0:3000/hook'],
    ['a decimal IPv4 host (parsed to 10.0.0.1)', 'http://167772161/hook'],
  ])('refuses %s, with loopback allowed or not', async (_what, url) => {
    expect(await code(url)).toBe('URL_ADDRESS_NOT_ALLOWED');
    expect(await code(url, true)).toBe('URL_ADDRESS_NOT_ALLOWED');
  });

  it.each([
    ['127.0.0.1', 'http://127.0.0.1:9000/hook'],
    ['localhost (127.0.0.1 and ::1)', 'http://localhost:9000/hook'],
    ['[::1]', 'http://[::1]:9000/hook'],
    ['a hexadecimal loopback host (parsed to 127.0.0.1)', 'http://0x7f.1/hook'],
    ['a decimal loopback host', 'http://2130706433/hook'],
  ])('refuses loopback %s unless WEBHOOK_ALLOW_LOOPBACK', async (_what, url) => {
    expect(await code(url)).toBe('URL_ADDRESS_NOT_ALLOWED');
    expect(await code(url, true)).toBeNull();
  });

  it('says why, and that loopback needs the flag', async () => {
    const target = await checkWebhookTarget('http://localhost:9000/hook', {
      allowLoopback: false,
      resolve: dns,
    });
    expect(target.refusal?.message).toBe(
      'url host localhost resolves to 127.0.0.1, a loopback address; webhooks may only reach public addresses (loopback needs WEBHOOK_ALLOW_LOOPBACK=true)',
    );
  });

  it('refuses a host that does not resolve, or resolves to nothing', async () => {
    expect(await code('https://nowhere.example.com/x')).toBe('URL_UNRESOLVABLE');
    expect(await code('https://empty.example.com/x')).toBe('URL_UNRESOLVABLE');
  });

  it('resolves with the system resolver by default (localhost from /etc/hosts)', async () => {
    const target = await checkWebhookTarget('http://localhost:1/x', { allowLoopback: false });
    expect(target.refusal?.code).toBe('URL_ADDRESS_NOT_ALLOWED');
  });
});
