import {
  address, currency, defineObject, int, lookup, multiPicklist, phone, picklist, required, systemFields, text,
  textArea, url,
} from '../field-definition';

export const account = defineObject({
  name: 'Account',
  label: 'Account',
  labelPlural: 'Accounts',
  keyPrefix: '001',
  fields: [
    ...systemFields({ owner: true }),
    // Set on the records a merge deleted (queryAll shows them with the winner's Id).
    lookup('MasterRecordId', ['Account'], { createable: false, updateable: false, label: 'Master Record ID' }),
    text('Name', 255, { ...required, nameField: true }),
    picklist('Type', ['Prospect', 'Customer - Direct', 'Partner', 'Foundation', 'Government', 'Other']),
    lookup('ParentId', ['Account']),
    ...address('Billing', 'BillingAddress'),
    ...address('Shipping', 'ShippingAddress'),
    phone('Phone'),
    phone('Fax'),
    text('AccountNumber', 40),
    url('Website'),
    picklist('Industry', ['Education', 'Healthcare', 'Government', 'Nonprofit', 'Technology', 'Finance', 'Other']),
    currency('AnnualRevenue'),
    int('NumberOfEmployees'),
    textArea('Description', 32000),
    picklist('Rating', ['Hot', 'Warm', 'Cold']),
    picklist('AccountSource', ['Web', 'Phone Inquiry', 'Partner Referral', 'Event', 'Purchased List', 'Other']),
    text('Legacy_Id__c', 40, { externalId: true, unique: true, label: 'Legacy ID' }),
    multiPicklist('Mission_Area__c', ['Education', 'Health', 'Housing', 'Food Security', 'Youth', 'Environment']),
  ],
});
