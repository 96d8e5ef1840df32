import { isSalesforceId, to18 } from '../salesforce-id';
import {
  invalid,
  isEmptyInternal,
  isRecord,
  parseReadValue,
  then,
  unknownWebhookShape,
  unresolved,
  value,
  type ConverterSpec,
} from './converter-kit';
import type { ConvertContext, Converted, FieldConverter, MondayColumnRead, MondayWriteValue, RecordLinks, SalesforceValue, UserDirectory } from './converter.types';

const sameId = (a: SalesforceValue, b: SalesforceValue) =>
  (typeof a === 'string' && a !== '' ? to18(a) : null) === (typeof b === 'string' && b !== '' ? to18(b) : null);

function needLinks(context: ConvertContext | undefined): RecordLinks {
  if (!context?.links) throw new Error('board relation conversion needs context.links (the links of the sync)');
  return context.links;
}

function needUsers(context: ConvertContext | undefined): UserDirectory {
  if (!context?.users) throw new Error('people conversion needs context.users (the user directory)');
  return context.users;
}

/**
 * reference <-> board_relation, through the links of the sync (`reference:` names the object key).
 * A record or item that has no link yet is `unresolved: not_linked`, not an error.
 *   write {"item_ids":[123]}   read linkedItemIds (API 2025-04+; legacy value {"linkedPulseIds":[...]})
 *   webhook {"linkedPulseIds":[{"linkedPulseId":123}]}
 */
export function boardRelationConverter(spec: ConverterSpec): FieldConverter {
  const objectKey = spec.reference ?? '';
  const fromItems = (itemIds: readonly string[], raw: unknown, context: ConvertContext | undefined): Converted<SalesforceValue> => {
    if (itemIds.length === 0) return value(null);
    if (itemIds.length > 1) return invalid(spec, 'MULTIPLE_VALUES', raw, `links ${itemIds.length} items, but ${spec.field.name} holds one record; link one item`);
    const recordId = needLinks(context).recordIdForItem(objectKey, itemIds[0]!);
    if (recordId === undefined) return unresolved('not_linked', `item ${itemIds[0]} of ${objectKey} is not linked to a Salesforce record yet`);
    return value(to18(recordId));
  };
  return {
    pair: 'reference<->board_relation',
    toMonday(sf, context): Converted<MondayWriteValue> {
      if (sf === null || sf === '') return value(null);
      if (typeof sf !== 'string' || !isSalesforceId(sf)) return invalid(spec, 'INVALID_FORMAT', sf, 'is not a Salesforce id');
      const itemId = needLinks(context).itemIdForRecord(objectKey, to18(sf));
      if (itemId === undefined) return unresolved('not_linked', `${to18(sf)} has no item on the ${objectKey} board yet`);
      return value({ item_ids: [Number(itemId)] });
    },
    fromMondayApi(read: MondayColumnRead, context) {
      if (read.linkedItemIds) return fromItems(read.linkedItemIds, read.linkedItemIds, context);
      return then(parseReadValue(spec, read), (parsed) => {
        const ids = linkedPulseIds(parsed);
        return ids ? fromItems(ids, parsed, context) : invalid(spec, 'UNREADABLE_VALUE', parsed, 'is not a board relation value; read linked_item_ids');
      });
    },
    fromMondayWebhook(internal, context) {
      const ids = linkedPulseIds(internal);
      return ids ? fromItems(ids, internal, context) : unknownWebhookShape(spec, internal);
    },
    equals: sameId,
  };
}

function linkedPulseIds(shape: unknown): string[] | undefined {
  if (isEmptyInternal(shape)) return [];
  if (!isRecord(shape)) return undefined;
  const list = shape.linkedPulseIds ?? shape.item_ids;
  if (list === null) return [];
  if (!Array.isArray(list)) return undefined;
  const ids = list.map((entry) => (isRecord(entry) ? entry.linkedPulseId : entry));
  return ids.every((id) => typeof id === 'number' || typeof id === 'string') ? ids.map(String) : undefined;
}

/**
 * OwnerId / User reference <-> people, matched by e-mail through the user directory.
 *   write {"personsAndTeams":[{"id":4012689,"kind":"person"}]}   read/webhook {"personsAndTeams":[...],...}
 * One person only (a lookup holds one user); teams are not users.
 */
export function peopleConverter(spec: ConverterSpec): FieldConverter {
  const fromPeople = (shape: unknown, context: ConvertContext | undefined): Converted<SalesforceValue> | undefined => {
    if (isEmptyInternal(shape)) return value(null);
    if (!isRecord(shape)) return undefined;
    const list = shape.personsAndTeams;
    if (list === null) return value(null);
    if (!Array.isArray(list)) return undefined;
    const persons = list.filter((p) => isRecord(p) && (p.kind === 'person' || p.kind === undefined)).map((p) => String((p as Record<string, unknown>).id));
    if (persons.length === 0 && list.length > 0) return invalid(spec, 'UNSUPPORTED_VALUE', shape, 'assigns only teams; a Salesforce user field needs one person');
    if (persons.length === 0) return value(null);
    if (persons.length > 1) return invalid(spec, 'MULTIPLE_VALUES', shape, `assigns ${persons.length} people, but ${spec.field.name} holds one user; assign one person`);
    const users = needUsers(context);
    const email = users.mondayUserEmail(persons[0]!);
    if (email === undefined) return unresolved('unknown_user', `monday user ${persons[0]} is not in the user directory`);
    const userId = users.salesforceUserIdByEmail(email.toLowerCase());
    if (userId === undefined) return unresolved('unknown_user', `no Salesforce user has the e-mail of monday user ${persons[0]}`);
    return value(to18(userId));
  };
  return {
    pair: 'reference(User)<->people',
    toMonday(sf, context): Converted<MondayWriteValue> {
      if (sf === null || sf === '') return value(null);
      if (typeof sf !== 'string' || !isSalesforceId(sf)) return invalid(spec, 'INVALID_FORMAT', sf, 'is not a Salesforce user id');
      const users = needUsers(context);
      const email = users.salesforceUserEmail(to18(sf));
      if (email === undefined) return unresolved('unknown_user', `Salesforce user ${to18(sf)} is not in the user directory (a queue owner has no monday person)`);
      const personId = users.mondayUserIdByEmail(email.toLowerCase());
      if (personId === undefined) return unresolved('unknown_user', `no monday user has the e-mail of Salesforce user ${to18(sf)}`);
      return value({ personsAndTeams: [{ id: Number(personId), kind: 'person' }] });
    },
    fromMondayApi: (read: MondayColumnRead, context) =>
      then(parseReadValue(spec, read), (parsed) => fromPeople(parsed, context) ?? invalid(spec, 'UNREADABLE_VALUE', parsed, 'is not a people value')),
    fromMondayWebhook: (internal, context) => fromPeople(internal, context) ?? unknownWebhookShape(spec, internal),
    equals: sameId,
  };
}
