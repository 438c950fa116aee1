import { registerDecorator, type ValidationOptions } from 'class-validator';
import { registrationScheme } from './registration-id';

/** class-validator rule: a unified social credit code or an LEI whose check characters are right. */
export function IsRegistrationId(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isRegistrationId',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message:
          '$property must be an 18-character unified social credit code (GB 32100-2015) or a 20-character LEI (ISO 17442) with a correct check character',
        ...options,
      },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && registrationScheme(value) !== null,
      },
    });
}
