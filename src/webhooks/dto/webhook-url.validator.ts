import { registerDecorator } from 'class-validator';
import { urlFormRefusal, type UrlRefusalCode } from '../webhook-target';

/** 'URL_SCHEME' → 'urlScheme', which the 422 reports back as URL_SCHEME. */
const constraintName = (code: string): string =>
  code.toLowerCase().replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());

const FORM_CODES: readonly UrlRefusalCode[] = ['URL_FORMAT', 'URL_SCHEME', 'URL_CREDENTIALS'];

/**
 * The form of a webhook URL (webhook-target.ts), each refusal under its own field code. Where it
 * leads (DNS, the address rule) is the service's check: it needs a lookup.
 */
export function IsWebhookUrl(): PropertyDecorator {
  return (target, propertyName) => {
    for (const code of FORM_CODES) {
      registerDecorator({
        name: constraintName(code),
        target: target.constructor,
        propertyName: String(propertyName),
        validator: {
          validate: (value: unknown) =>
            typeof value !== 'string' || urlFormRefusal(value)?.code !== code,
          defaultMessage: (args) =>
            typeof args?.value === 'string'
              ? (urlFormRefusal(args.value)?.message ?? 'url is invalid')
              : 'url is invalid',
        },
      });
    }
  };
}
