import {
  address, bool, currency, date, datetime, defineObject, email, int, lookup, multiPicklist, personName, phone,
  picklist, readOnly, required, systemFields, text, textArea, url,
} from '../field-definition';

/**
 * Lead, with the custom fields of the nonprofit's Lead board (seed 000: Role__c, Record_Type_ID_Text__c,
 * and the columns its BD team tracks: program interest, partnership stage, follow-up date, ...).
 */
export const LEAD_CONVERTED_STATUS = 'Closed - Converted';

export const lead = defineObject({
  name: 'Lead',
  label: 'Lead',
  labelPlural: 'Leads',
  keyPrefix: '00Q',
  fields: [
    ...systemFields({ owner: true }),
    // Set on the records a merge deleted (queryAll shows them with the winner's Id).
    lookup('MasterRecordId', ['Lead'], { createable: false, updateable: false, label: 'Master Record ID' }),
    ...personName(),
    text('Title', 128),
    text('Company', 255, required),
    ...address('', 'Address'),
    phone('Phone'),
    phone('MobilePhone'),
    phone('Fax'),
    email('Email'),
    url('Website'),
    textArea('Description', 32000),
    picklist('LeadSource', ['Web', 'Phone Inquiry', 'Partner Referral', 'Event', 'Purchased List', 'Other']),
    picklist(
      'Status',
      ['*Open - Not Contacted', 'Working - Contacted', 'Qualified', LEAD_CONVERTED_STATUS, 'Closed - Not Converted'],
      { nillable: false, defaultedOnCreate: true, restrictedPicklist: true },
    ),
    picklist('Industry', ['Education', 'Healthcare', 'Government', 'Nonprofit', 'Technology', 'Finance', 'Other']),
    picklist('Rating', ['Hot', 'Warm', 'Cold']),
    currency('AnnualRevenue', { precision: 18, scale: 0 }),
    int('NumberOfEmployees', { precision: 8 }),
    bool('HasOptedOutOfEmail'),
    bool('DoNotCall'),
    bool('IsConverted', { ...readOnly, nillable: false, defaultedOnCreate: true }),
    date('ConvertedDate', readOnly),
    lookup('ConvertedAccountId', ['Account'], readOnly),
    lookup('ConvertedContactId', ['Contact'], readOnly),
    lookup('ConvertedOpportunityId', ['Opportunity'], readOnly),
    bool('IsUnreadByOwner'),
    picklist('Role__c', ['Partner', 'Donor', 'Volunteer', 'Grantee', 'Vendor', 'Media']),
    text('Record_Type_ID_Text__c', 18),
    text('Website_Form_Id__c', 40, { externalId: true, unique: true, label: 'Website Form ID' }),
    multiPicklist('Program_Interest__c', [
      'Education', 'Health', 'Housing', 'Food Security', 'Youth', 'Environment', 'Arts',
    ]),
    picklist('Partnership_Stage__c', ['Follow-up', 'Quote', 'MOU', 'Signed', 'Dormant'], {
      restrictedPicklist: true,
    }),
    picklist('Organization_Size__c', ['1-10', '11-50', '51-200', '201-1000', '1000+'], { restrictedPicklist: true }),
    picklist('Region__c', ['Northeast', 'Southeast', 'Midwest', 'Southwest', 'West', 'International']),
    currency('Estimated_Budget__c', { precision: 16, scale: 2 }),
    date('Follow_Up_Date__c'),
    datetime('Last_Contacted__c'),
    url('LinkedIn_Profile__c'),
    bool('Newsletter_Opt_In__c'),
    text('Referral_Source__c', 100),
    picklist('Preferred_Language__c', ['English', 'Spanish', 'French', 'Korean', 'Chinese', 'Other']),
    textArea('Meeting_Notes__c', 32768),
  ],
});
