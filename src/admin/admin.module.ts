import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { DashboardLoginController } from './dashboard-login.controller';

@Module({ imports: [AuthModule], controllers: [DashboardLoginController] })
export class AdminModule {}
