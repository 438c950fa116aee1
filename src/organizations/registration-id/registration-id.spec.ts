import fc from 'fast-check';
import {
  isValidLei,
  isValidUscc,
  leiCheckDigits,
  registrationScheme,
  usccCheckCharacter,
} from './registration-id';

// Published codes of real companies (business licences and the GLEIF register).
const REAL_USCC = {
  'Alibaba (China) Co., Ltd. 阿里巴巴（中国）有限公司': '91330100799655058B',
  'Huawei Technologies Co., Ltd. 华为技术有限公司': '914403001922038216',
  'Shenzhen Tencent Computer Systems 深圳市腾讯计算机系统有限公司': '9144030071526726XG',
  'Kweichow Moutai Co., Ltd. 贵州茅台酒股份有限公司': '91520000214434146R',
  'Beijing Xiaomi 小米科技有限责任公司': '91110108551385082Q',
};
const REAL_LEI = {
  'Apple Inc.': 'HWUPKR0MPOU8FGXBT394',
  'Global Legal Entity Identifier Foundation': '506700GE1G29325QX363',
  'Deutsche Bank AG': '7LTWFZYICNSX8D621K86',
  'Bank of China Limited': '54930053HGCFWVHYZX42',
};

describe('unified social credit code (GB 32100-2015)', () => {
  it.each(Object.entries(REAL_USCC))('accepts the published code of %s', (_name, code) => {
    expect(isValidUscc(code)).toBe(true);
    expect(registrationScheme(code)).toBe('USCC');
  });

  it('accepts lower case and surrounding spaces by normalising', () => {
    expect(registrationScheme(' 9144030071526726xg ')).toBe('USCC');
  });

  it('refuses a code whose check character is wrong', () => {
    expect(isValidUscc('91330100799655058C')).toBe(false);
    expect(registrationScheme('914403001922038217')).toBeNull();
  });

  it('refuses letters outside the GB 32100 alphabet (I, O, S, V, Z)', () => {
    expect(isValidUscc('9133010079965505IB')).toBe(false);
    expect(() => usccCheckCharacter('9133010079965505O')).toThrow(/not a USCC character/);
  });

  it('refuses a non-numeric administrative division code (characters 3 to 8)', () => {
    const body = '91A30100799655058';
    expect(isValidUscc(body + usccCheckCharacter(body))).toBe(false);
  });

  it('detects every single-character substitution (property)', () => {
    const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY'.split('');
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.values(REAL_USCC)),
        fc.integer({ min: 0, max: 17 }),
        fc.constantFrom(...alphabet),
        (code, position, replacement) => {
          fc.pre(code[position] !== replacement);
          const altered = code.slice(0, position) + replacement + code.slice(position + 1);
          return !isValidUscc(altered);
        },
      ),
    );
  });
});

describe('Legal Entity Identifier (ISO 17442, ISO 7064 MOD 97-10)', () => {
  it.each(Object.entries(REAL_LEI))('accepts the published LEI of %s', (_name, code) => {
    expect(isValidLei(code)).toBe(true);
    expect(registrationScheme(code)).toBe('LEI');
  });

  it('computes the published check digits from the first 18 characters', () => {
    for (const code of Object.values(REAL_LEI))
      expect(leiCheckDigits(code.slice(0, 18))).toBe(code.slice(18));
  });

  it('refuses a transposition and a wrong check digit', () => {
    expect(isValidLei('HWUPKR0MPOU8FGXBT349')).toBe(false);
    expect(isValidLei('WHUPKR0MPOU8FGXBT394')).toBe(false);
    expect(registrationScheme('506700GE1G29325QX364')).toBeNull();
  });

  it('refuses letters in the check digits and wrong lengths', () => {
    expect(isValidLei('HWUPKR0MPOU8FGXBT3A4')).toBe(false);
    expect(registrationScheme('HWUPKR0MPOU8FGXBT39')).toBeNull();
    expect(registrationScheme('')).toBeNull();
  });
});
