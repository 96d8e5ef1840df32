import {
  address, bool, date, defineObject, email, lookup, multiPicklist, personName, phone, picklist, systemFields,
  text, textArea,
} from '../field-definition';

export const contact = defineObject({
  name: 'Contact',
  label: 'Contact',
  labelPlural: 'Contacts',
  keyPrefix: '003',
  fields: [
    ...systemFields({ owner: true }),
    // Set on the records a merge deleted (queryAll shows them with the winner's Id).
    lookup('MasterRecordId', ['Contact'], { createable: false, updateable: false, label: 'Master Record ID' }),
    lookup('AccountId', ['Account']),
    ...personName(),
    text('Title', 128),
    text('Department', 80),
    email('Email'),
    phone('Phone'),
    phone('MobilePhone'),
    phone('HomePhone'),
    ...address('Mailing', 'MailingAddress'),
    picklist('LeadSource', ['Web', 'Phone Inquiry', 'Partner Referral', 'Event', 'Purchased List', 'Other']),
    date('Birthdate'),
    textArea('Description', 32000),
    bool('HasOptedOutOfEmail'),
    bool('DoNotCall'),
    picklist('Preferred_Contact_Method__c', ['Email', 'Phone', 'Text', 'Mail'], { restrictedPicklist: true }),
    multiPicklist('Volunteer_Skills__c', ['Mentoring', 'Fundraising', 'Events', 'Tutoring', 'Translation']),
  ],
});
