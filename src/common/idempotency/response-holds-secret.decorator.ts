import { SetMetadata } from '@nestjs/common';

export const RESPONSE_HOLDS_SECRET = 'scf:response-holds-secret';

/** The route's response carries a secret shown once: its idempotent replay copy is stored encrypted. */
export const ResponseHoldsSecret = (): MethodDecorator => SetMetadata(RESPONSE_HOLDS_SECRET, true);
