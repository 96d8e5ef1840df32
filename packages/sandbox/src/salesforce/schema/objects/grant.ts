import {
  currency, date, defineObject, lookup, multiPicklist, picklist, systemFields, text, textArea,
} from '../field-definition';

/** Custom object: a grant the nonprofit applies for or receives, looked up to its funder Account. */
export const grant = defineObject({
  name: 'Grant__c',
  label: 'Grant',
  labelPlural: 'Grants',
  keyPrefix: 'a01',
  fields: [
    ...systemFields({ owner: true }),
    // Custom object Name: not nillable, but filled with the record id when left out.
    text('Name', 80, { nillable: false, defaultedOnCreate: true, nameField: true, label: 'Grant Name' }),
    lookup('Account__c', ['Account'], { label: 'Funder' }),
    currency('Amount__c', { precision: 16, scale: 2 }),
    picklist('Status__c', ['*Draft', 'Submitted', 'Awarded', 'Declined', 'Reporting', 'Closed'], {
      nillable: false,
      defaultedOnCreate: true,
      restrictedPicklist: true,
    }),
    multiPicklist('Program_Area__c', ['Education', 'Health', 'Housing', 'Food Security', 'Youth', 'Environment']),
    date('Application_Deadline__c'),
    date('Award_Date__c'),
    text('Funder_Reference__c', 40, { externalId: true, unique: true }),
    // An external id without the unique attribute, as orgs often have: several records may share a value.
    text('Application_Number__c', 40, { externalId: true, label: 'Application Number' }),
    textArea('Reporting_Requirements__c', 32768),
  ],
});
