import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { INestApplication } from '@nestjs/common';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import { CredentialResolver } from '../auth/credential-resolver';
import { OrganizationKind, Role } from '../common/auth/roles';
import { QueueRegistry } from '../common/jobs/queue-registry';

export const DASHBOARD_PATH = '/admin/queues';
export const DASHBOARD_LOGIN_PATH = '/admin/login';
export const DASHBOARD_COOKIE = 'scf_admin';

/**
 * Mounts the BullMQ dashboard for platform ADMINs. A browser signs in at /admin/login, which
 * sets an HttpOnly, SameSite=Strict cookie holding the access token; scripts may send the token
 * as a Bearer header instead. Anyone else is sent to the login page (or gets 403).
 */
export function mountQueueDashboard(app: INestApplication): void {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: app
      .get(QueueRegistry)
      .all()
      .map(([, queue]) => new BullMQAdapter(queue)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'scf-portal queues' } },
  });
  const credentials = app.get(CredentialResolver);
  const requirePlatformAdmin = async (
    request: Request,
    response: Response,
    next: NextFunction,
  ): Promise<void> => {
    const cookies = request.cookies as Record<string, string | undefined>;
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.header('authorization') ?? '')?.[1];
    const token = bearer ?? cookies[DASHBOARD_COOKIE];
    if (!token) {
      response.redirect(303, DASHBOARD_LOGIN_PATH);
      return;
    }
    try {
      const actor = await credentials.fromAccessToken(token);
      if (
        actor.organizationKind !== OrganizationKind.PLATFORM ||
        !actor.roles.includes(Role.ADMIN)
      ) {
        response
          .status(403)
          .type('text/plain')
          .send('The queue dashboard is for platform ADMINs only.');
        return;
      }
      next();
    } catch {
      response.clearCookie(DASHBOARD_COOKIE, { path: '/admin' });
      response.redirect(303, DASHBOARD_LOGIN_PATH);
    }
  };
  app.use(
    DASHBOARD_PATH,
    cookieParser(),
    (request: Request, response: Response, next: NextFunction) => {
      void requirePlatformAdmin(request, response, next);
    },
    serverAdapter.getRouter(),
  );
}
