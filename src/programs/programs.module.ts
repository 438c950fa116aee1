import { Module } from '@nestjs/common';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { ProgramMembersController } from './program-members.controller';
import { ProgramMembersService } from './program-members.service';
import { ProgramsController } from './programs.controller';
import { ProgramsRepository } from './programs.repository';
import { ProgramsService } from './programs.service';

@Module({
  imports: [OrganizationsModule, NotificationsModule],
  controllers: [ProgramsController, ProgramMembersController],
  providers: [ProgramsRepository, ProgramsService, ProgramMembersService],
  exports: [ProgramsRepository],
})
export class ProgramsModule {}
