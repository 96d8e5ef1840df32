export { AdminModule } from './admin.module';
export { AdminController } from './admin.controller';
export { AdminTokenGuard, tokensMatch } from './admin-token.guard';
export { ADMIN_OPTIONS, type AdminOptions } from './admin-options';
export { recordHistory, type RecordHistory } from './record-history';
