import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { ensureXmllint } from './xsd-validator';

/** The XSD validation of e-invoices needs xmllint (Debian libxml2-utils): installed at start when missing and allowed. */
@Injectable()
export class XmlToolsCheck implements OnModuleInit {
  private readonly logger = new Logger('XmlTools');

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async onModuleInit(): Promise<void> {
    const path = await ensureXmllint({
      install: this.config.installSystemPackages,
      log: (line) => this.logger.log(line),
    });
    this.logger.debug(`xmllint at ${path}`);
  }
}
