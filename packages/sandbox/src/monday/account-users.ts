import jwt from 'jsonwebtoken';
import type { UserRecord } from './state/model';

const TOKEN_SECRET = 'crm-sync-monday-emulator-token-signing';
const CREATED_AT = Date.parse('2024-03-04T09:00:00Z');

/** A personal V2 token in monday's shape (a JWT whose claims name the user and account). */
export function personalToken(userId: number, accountId: number): string {
  return jwt.sign({ tid: userId * 7 + 1, aai: 11, uid: userId, iad: '2024-03-04T09:00:00.000Z', per: 'me:write', actid: accountId, rgn: 'use1' }, TOKEN_SECRET, {
    algorithm: 'HS256',
    noTimestamp: true,
  });
}

export const INTEGRATION_USER_ID = 58_010_001;

/** The account's users: the integration user the service authenticates as, and humans working in the UI. */
export const ACCOUNT_USERS: ReadonlyArray<Omit<UserRecord, 'token' | 'createdAt'>> = [
  { id: INTEGRATION_USER_ID, name: 'CRM Sync Integration', email: 'integration@crm-sync.example', title: 'Integration user', isAdmin: false },
  { id: 58_010_002, name: 'Maya Cohen', email: 'maya.cohen@crm-sync.example', title: 'Head of Business Development', isAdmin: true },
  { id: 58_010_003, name: 'Daniel Okafor', email: 'daniel.okafor@crm-sync.example', title: 'Account Executive', isAdmin: false },
  { id: 58_010_004, name: 'Priya Natarajan', email: 'priya.natarajan@crm-sync.example', title: 'Partnerships Manager', isAdmin: false },
  { id: 58_010_005, name: 'Tom Becker', email: 'tom.becker@crm-sync.example', title: 'Operations Coordinator', isAdmin: false },
];

export function accountUsers(accountId: number): UserRecord[] {
  return ACCOUNT_USERS.map((u, i) => ({ ...u, token: personalToken(u.id, accountId), createdAt: CREATED_AT + i * 86_400_000 }));
}
