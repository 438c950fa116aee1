import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { OrganizationsModule } from '../organizations/organizations.module';
import { UsersModule } from '../users/users.module';
import { ACCESS_TOKEN_ALGORITHM } from './access-token';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { AuthenticationGuard } from './authentication.guard';
import { CredentialResolver } from './credential-resolver';
import { LoginLimiter } from './login-limiter';

@Module({
  imports: [
    UsersModule,
    OrganizationsModule,
    ApiKeysModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // A KeyObject, not a string: jsonwebtoken otherwise re-derives the key on every verify.
        secret: createSecretKey(Buffer.from(config.jwt.secret, 'utf8')),
        signOptions: {
          algorithm: ACCESS_TOKEN_ALGORITHM,
          issuer: config.jwt.issuer,
          audience: config.jwt.audience,
          expiresIn: config.jwt.ttlSeconds,
        },
        verifyOptions: {
          algorithms: [ACCESS_TOKEN_ALGORITHM],
          issuer: config.jwt.issuer,
          audience: config.jwt.audience,
        },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [AuthService, CredentialResolver, LoginLimiter, AuthenticationGuard],
  exports: [AuthService, CredentialResolver, AuthenticationGuard],
})
export class AuthModule {}
