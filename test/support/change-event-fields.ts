/**
 * A Salesforce change event's fields by the names records and commands use. Change events nest the
 * components of compound fields (reference 5.6): `BillingCity` is `BillingAddress: {City}` and is
 * listed as changed as `BillingAddress.City`; a Lead's `City` is `Address.City`; `FirstName` is
 * `Name.FirstName`. Read by top-level name, an address component is never listed as changed and is
 * always missing (read as null).
 */
export interface ChangeEventFields {
  /** Field values as the event carries them (an UPDATE: the changed ones, explicit nulls included). */
  values: Record<string, unknown>;
  changed: Set<string>;
}

export function changeEventFields(payload: Record<string, unknown>, changedFields: readonly string[]): ChangeEventFields {
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (name === 'ChangeEventHeader') continue;
    if (isCompound(name) && value !== null && typeof value === 'object') {
      for (const [component, componentValue] of Object.entries(value)) values[componentName(name, component)] = componentValue;
    } else {
      values[name] = value;
    }
  }
  const changed = new Set(changedFields.map((field) => {
    const [compound, component] = field.split('.', 2);
    return component === undefined ? field : componentName(compound, component);
  }));
  return { values, changed };
}

function isCompound(name: string): boolean {
  return name === 'Name' || name.endsWith('Address');
}

function componentName(compound: string, component: string): string {
  return compound === 'Name' ? component : `${compound.slice(0, -'Address'.length)}${component}`;
}

/** What the harness reads of a retained change event (the emulator's change event log). */
export interface LoggedChangeEvent {
  replayId: number;
  payload: Record<string, unknown> & { ChangeEventHeader: { commitTimestamp: number; changeType: string; changedFields: string[]; recordIds: string[] } };
}

/**
 * The last change event committed by `upTo` (epoch ms) that set `field` of the record, with the
 * value it set: a CREATE or UNDELETE sets every field (the ones it leaves out to null), an UPDATE
 * the ones it lists as changed. Null when no retained event set it.
 */
export function lastSetterOf(log: readonly LoggedChangeEvent[], recordId: string, field: string, upTo: number): { event: LoggedChangeEvent; value: unknown } | null {
  for (let i = log.length - 1; i >= 0; i--) {
    const event = log[i];
    const header = event.payload.ChangeEventHeader;
    if (!header.recordIds.includes(recordId) || header.commitTimestamp > upTo) continue;
    const { values, changed } = changeEventFields(event.payload, header.changedFields);
    const whole = header.changeType === 'CREATE' || header.changeType === 'UNDELETE';
    if (whole || changed.has(field)) return { event, value: values[field] ?? null };
  }
  return null;
}
