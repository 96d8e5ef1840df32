import { date, defineObject, lookup, bool, picklist, readOnly, systemFields, text, textArea } from '../field-definition';

export const TASK_CLOSED_STATUSES = new Set(['Completed', 'Deferred']);

export const task = defineObject({
  name: 'Task',
  label: 'Task',
  labelPlural: 'Tasks',
  keyPrefix: '00T',
  fields: [
    ...systemFields({ owner: true }),
    text('Subject', 255, { nameField: true }),
    picklist('Status', ['*Not Started', 'In Progress', 'Completed', 'Waiting on someone else', 'Deferred'], {
      nillable: false,
      defaultedOnCreate: true,
      restrictedPicklist: true,
    }),
    picklist('Priority', ['High', '*Normal', 'Low'], { nillable: false, defaultedOnCreate: true }),
    date('ActivityDate'),
    lookup('WhoId', ['Contact', 'Lead']),
    lookup('WhatId', ['Account', 'Opportunity', 'Grant__c']),
    textArea('Description', 32000),
    picklist('Type', ['Call', 'Email', 'Meeting', 'Other']),
    bool('IsClosed', { ...readOnly, nillable: false, defaultedOnCreate: true }),
  ],
});
