import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, NotFoundException, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ADMIN_OPTIONS, type AdminOptions } from './admin-options';

/**
 * Bearer ADMIN_TOKEN on /admin/*: when no token is configured the endpoints do not exist (404), a
 * missing or wrong token is 401. Tokens are compared in constant time (hashes of equal length).
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  constructor(@Inject(ADMIN_OPTIONS) private readonly options: AdminOptions) {}

  canActivate(context: ExecutionContext): boolean {
    const expected = this.options.adminToken;
    if (!expected) throw new NotFoundException();
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>();
    const header = request.headers.authorization;
    const presented = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim())?.[1] ?? '' : '';
    if (!tokensMatch(presented, expected)) throw new UnauthorizedException('a valid bearer ADMIN_TOKEN is required');
    return true;
  }
}

export function tokensMatch(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && presented.length > 0;
}
