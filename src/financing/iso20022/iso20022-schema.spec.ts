import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { silentLog } from '../../infra/local-services/log';
import { projectRoot } from '../../infra/project-root';
import {
  ensureXmllint,
  ISO20022_SCHEMAS,
  iso20022SchemaDir,
  iso20022SchemaFile,
  validateIso20022,
  XsdValidatorError,
  type Iso20022Schema,
} from './iso20022-schema';

const FIXTURES = join(__dirname, '__fixtures__');
const fixture = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');

/** The official files, unchanged (resources/schemas/iso20022/README.md lists where from). */
const SCHEMA_SHA256: Record<Iso20022Schema, string> = {
  'pain.001.001.12': '9ac29c72844923bccacd079cc9a03ba4364a6c670d09579149fafae55aedf7d2',
  'pain.001.001.03': '6bb5c6f24250ab807f31f6164142bafd6d43bad8d162a926e258ff4c11e128af',
  'camt.054.001.02': '8bb91f1d645277487b4262538c9064161e8feb48ceb8b0c680716fd07c32da01',
  'camt.054.001.04': '1bb115c106bd7ee4fac82520b477ee8ea40a8686a9111ff182e33a14ae0014d2',
  'camt.054.001.08': '2b392a1f7e70e70902fd0d803ff85989613bd1cae351663240b0bb9243be2c28',
  'camt.054.001.12': '809b2637c2e4b2d51b38a0d053ef59a8f1fff6686548c046fa22253c79e780da',
};

beforeAll(async () => {
  // Tests never apt-get: a machine without xmllint fails here, saying how to install it.
  await ensureXmllint({ install: false, log: silentLog });
});

describe('the ISO 20022 schemas', () => {
  it('ship inside the project (resources/schemas/iso20022), not from ../shared', () => {
    expect(relative(projectRoot(), iso20022SchemaDir())).toBe(
      join('resources', 'schemas', 'iso20022'),
    );
  });

  it.each(ISO20022_SCHEMAS)('%s.xsd is the official file, unchanged', (schema) => {
    const sha = createHash('sha256')
      .update(readFileSync(iso20022SchemaFile(schema)))
      .digest('hex');
    expect(sha).toBe(SCHEMA_SHA256[schema]);
  });

  it('an unknown schema name is a programming error', () => {
    expect(() => iso20022SchemaFile('pain.001.001.09' as Iso20022Schema)).toThrow(
      /Unknown ISO 20022 schema/,
    );
  });
});

describe('validateIso20022 on real bank files', () => {
  it.each([
    ['camt054.v2.xml', 'camt.054.001.02'],
    ['camt054.v4.xml', 'camt.054.001.04'],
    ['camt054.v8.xml', 'camt.054.001.08'],
    [
      '200519_camt.054-Credit_P_CH2909000000250094239_1110092691_0_2019042421291293.xml',
      'camt.054.001.04',
    ],
    [
      '200519_camt054-ESR-ASR_P_CH2909000000250094239_1110092704_0_2019042500372179.xml',
      'camt.054.001.04',
    ],
    [
      '200924_camt.054_P_CH2909000000250094239_1110092703_0_2019042423412214.xml',
      'camt.054.001.04',
    ],
    ['abn pain.001.001.03 voorbeeldbestand.xml', 'pain.001.001.03'],
    ['ing pain.001.001.03 voorbeeldbestand.xml', 'pain.001.001.03'],
  ] as const)('%s is valid %s', async (file, schema) => {
    await expect(validateIso20022(fixture(file), schema)).resolves.toEqual({ valid: true });
  });

  it('a template with placeholders fails, naming line, element and value (namespaces dropped)', async () => {
    const result = await validateIso20022(fixture('pain_001_v3_sepa.xml'), 'pain.001.001.03');
    expect(result.valid).toBe(false);
    const { errors } = result as { errors: string[] };
    expect(errors[0]).toBe(
      "line 27: Element 'ReqdExctnDt': 'YYYY-MM-DD' is not a valid value of the atomic type 'ISODate'.",
    );
    expect(errors).toContainEqual(expect.stringMatching(/^line 33: Element 'IBAN': \[facet/));
    expect(errors.join('\n')).not.toContain('urn:iso');
  });

  it('a document of another version does not pass', async () => {
    const result = await validateIso20022(fixture('camt054.v8.xml'), 'camt.054.001.04');
    expect(result).toEqual({
      valid: false,
      errors: [
        expect.stringMatching(/No matching global declaration available for the validation root/),
      ],
    });
  });

  it('a document that is not well-formed', async () => {
    const broken = fixture('camt054.v8.xml').replace('</Ntry>', '');
    const result = await validateIso20022(broken, 'camt.054.001.08');
    expect(result.valid).toBe(false);
    expect((result as { errors: string[] }).errors[0]).toMatch(/^line \d+: /);
  });

  it('a DOCTYPE is refused before xmllint reads the document', async () => {
    const withDoctype = fixture('camt054.v8.xml').replace(
      /^(<\?xml[^>]*>)/,
      '$1\n<!DOCTYPE Document [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    );
    // xmllint would fail on the path below; it must not be started at all
    await expect(
      validateIso20022(withDoctype, 'camt.054.001.08', { xmllint: '/nonexistent/xmllint' }),
    ).resolves.toEqual({
      valid: false,
      errors: ['line 2: A DOCTYPE declaration is not accepted'],
    });
  });

  it('takes bytes as well as text', async () => {
    const bytes = readFileSync(join(FIXTURES, 'camt054.v4.xml'));
    await expect(validateIso20022(bytes, 'camt.054.001.04')).resolves.toEqual({ valid: true });
  });

  it('xmllint that cannot run is not the document’s fault: XsdValidatorError', async () => {
    await expect(
      validateIso20022(fixture('camt054.v4.xml'), 'camt.054.001.04', {
        xmllint: '/nonexistent/xmllint',
      }),
    ).rejects.toBeInstanceOf(XsdValidatorError);
  });
});
