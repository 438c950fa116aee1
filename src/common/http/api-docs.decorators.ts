import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiSecurity } from '@nestjs/swagger';

/** The route takes a person's Bearer token or an ERP system's X-Api-Key. */
export const ApiCredentials = (): MethodDecorator & ClassDecorator =>
  applyDecorators(ApiBearerAuth('bearer'), ApiSecurity('apiKey'));
