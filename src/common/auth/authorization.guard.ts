import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { DomainError } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-code';
import { ACCESS_RULE, type AccessRule } from './access.decorator';

/**
 * Applies the route's declared rule (organisation kind and role). A route that declares none
 * is refused: deny by default, and a test walks every route to make sure it never happens.
 */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  private readonly logger = new Logger('AuthorizationGuard');

  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!rule) {
      this.logger.error(
        `${context.getClass().name}.${context.getHandler().name} declares no access rule; refused`,
      );
      throw new DomainError(
        ErrorCode.ROUTE_ACCESS_UNDECLARED,
        'This route declares no access rule and is closed.',
      );
    }
    if (rule.public) return true;
    const actor = context.switchToHttp().getRequest<Request>().actor;
    if (!actor)
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'This endpoint needs credentials.');
    if (rule.kinds.length > 0 && !rule.kinds.includes(actor.organizationKind)) {
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        `This action is for ${rule.kinds.join(' or ')} organisations; yours is ${actor.organizationKind}.`,
      );
    }
    if (rule.roles.length > 0 && !rule.roles.some((role) => actor.roles.includes(role))) {
      throw new DomainError(
        ErrorCode.FORBIDDEN,
        `This action needs the role ${rule.roles.join(' or ')}.`,
      );
    }
    return true;
  }
}
