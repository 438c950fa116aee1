import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG, PROCESS_ROLE, type AppConfig, type ProcessRole } from './app-config';

/**
 * Provides the validated AppConfig. (@nestjs/config is not used: the environment must be
 * validated, and the local services started, before the Nest application exists.)
 */
@Global()
@Module({})
export class AppConfigModule {
  static forRoot(config: AppConfig, role: ProcessRole): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: PROCESS_ROLE, useValue: role },
      ],
      exports: [APP_CONFIG, PROCESS_ROLE],
    };
  }
}
