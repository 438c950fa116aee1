import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer, Reflector } from '@nestjs/core';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import { ACCESS_RULE, type AccessRule } from '../../src/common/auth/access.decorator';
import { API_PREFIX, UNPREFIXED_PATHS } from '../../src/bootstrap/api-application';

export interface RouteInfo {
  method: string;
  /** The served path with `:params` left in. */
  path: string;
  handler: string;
  rule: AccessRule | undefined;
}

const UNPREFIXED = new Set<string>(UNPREFIXED_PATHS.map((path) => `/${path}`));

/** Every HTTP route the application serves, read from the controllers' metadata. */
export function listRoutes(app: INestApplication): RouteInfo[] {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const reflector = new Reflector();
  const routes: RouteInfo[] = [];
  for (const wrapper of discovery.getControllers()) {
    const type = wrapper.metatype as (new (...args: never[]) => object) | null;
    if (!type) continue;
    const base = String(Reflect.getMetadata(PATH_METADATA, type) ?? '');
    for (const name of scanner.getAllMethodNames(type.prototype)) {
      const fn = (type.prototype as Record<string, unknown>)[name] as () => unknown;
      const methodPath = Reflect.getMetadata(PATH_METADATA, fn) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, fn) as RequestMethod | undefined;
      if (methodPath === undefined || method === undefined) continue;
      const joined = `/${[base, methodPath]
        .map((part) => part.replace(/^\/|\/$/g, ''))
        .filter(Boolean)
        .join('/')}`;
      const path = UNPREFIXED.has(joined)
        ? joined
        : `/${API_PREFIX}${joined === '/' ? '' : joined}`;
      routes.push({
        method: RequestMethod[method],
        path,
        handler: `${type.name}.${name}`,
        rule: reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [fn, type]),
      });
    }
  }
  return routes;
}
