import {
  bool, currency, date, defineObject, lookup, percent, picklist, readOnly, required, systemFields, text, textArea,
} from '../field-definition';

/** Stage rows of the OpportunityStage picklist: default probability, closed/won flags, forecast category. */
export const OPPORTUNITY_STAGES: Record<string, { probability: number; closed: boolean; won: boolean; forecast: string }> = {
  Prospecting: { probability: 10, closed: false, won: false, forecast: 'Pipeline' },
  Qualification: { probability: 20, closed: false, won: false, forecast: 'Pipeline' },
  'Follow-up': { probability: 25, closed: false, won: false, forecast: 'Pipeline' },
  'Needs Analysis': { probability: 30, closed: false, won: false, forecast: 'Pipeline' },
  Quote: { probability: 50, closed: false, won: false, forecast: 'Best Case' },
  'Proposal/Price Quote': { probability: 60, closed: false, won: false, forecast: 'Best Case' },
  MOU: { probability: 75, closed: false, won: false, forecast: 'Commit' },
  'Negotiation/Review': { probability: 90, closed: false, won: false, forecast: 'Commit' },
  'Closed Won': { probability: 100, closed: true, won: true, forecast: 'Closed' },
  'Closed Lost': { probability: 0, closed: true, won: false, forecast: 'Omitted' },
};

export const opportunity = defineObject({
  name: 'Opportunity',
  label: 'Opportunity',
  labelPlural: 'Opportunities',
  keyPrefix: '006',
  fields: [
    ...systemFields({ owner: true }),
    lookup('AccountId', ['Account']),
    lookup('ContactId', ['Contact']),
    text('Name', 120, { ...required, nameField: true }),
    textArea('Description', 32000),
    picklist('StageName', Object.keys(OPPORTUNITY_STAGES), { ...required, restrictedPicklist: true }),
    currency('Amount', { precision: 16, scale: 2 }),
    percent('Probability', { defaultedOnCreate: true, precision: 3, scale: 0 }),
    currency('ExpectedRevenue', { precision: 16, scale: 2, ...readOnly, calculated: true, excludedFromChangeEvents: true }),
    date('CloseDate', required),
    picklist('Type', ['New Business', 'Existing Business', 'Grant', 'Sponsorship', 'In-Kind']),
    text('NextStep', 255),
    picklist('LeadSource', ['Web', 'Phone Inquiry', 'Partner Referral', 'Event', 'Purchased List', 'Other']),
    bool('IsClosed', { ...readOnly, nillable: false, defaultedOnCreate: true }),
    bool('IsWon', { ...readOnly, nillable: false, defaultedOnCreate: true }),
    picklist('ForecastCategoryName', ['Omitted', 'Pipeline', 'Best Case', 'Commit', 'Closed'], {
      defaultedOnCreate: true,
    }),
  ],
});
