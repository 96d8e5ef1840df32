/**
 * Demo data of a small nonprofit ("Hope Bridge Alliance") whose business-development team works
 * partner leads, funders and grants: the shape of seed 000's Lead board (Role__c, program interest,
 * partnership stage, follow-up dates) with realistic variety.
 */
export const DEMO_USERS = [
  { Username: 'maya.cohen@crm-sync.example', FirstName: 'Maya', LastName: 'Cohen', Email: 'maya.cohen@crm-sync.example', Alias: 'mcohe', Title: 'Head of Business Development' },
  { Username: 'daniel.okafor@crm-sync.example', FirstName: 'Daniel', LastName: 'Okafor', Email: 'daniel.okafor@crm-sync.example', Alias: 'dokaf', Title: 'Account Executive' },
  { Username: 'priya.natarajan@crm-sync.example', FirstName: 'Priya', LastName: 'Natarajan', Email: 'priya.natarajan@crm-sync.example', Alias: 'pnata', Title: 'Partnerships Manager' },
  { Username: 'former.staff@crm-sync.example', FirstName: 'Pat', LastName: 'Former', Email: 'former.staff@crm-sync.example', Alias: 'pform', Title: 'Program Officer', IsActive: false },
];

export const DEMO_ACCOUNTS = [
  { Name: 'Riverside Community Foundation', Type: 'Foundation', Industry: 'Nonprofit', BillingCity: 'Portland', BillingState: 'OR', Legacy_Id__c: 'ACC-1001', Mission_Area__c: 'Education;Youth' },
  { Name: 'Greenfield Unified School District', Type: 'Government', Industry: 'Education', BillingCity: 'Greenfield', BillingState: 'MA', Legacy_Id__c: 'ACC-1002', Mission_Area__c: 'Education' },
  { Name: 'Harbor Health Partners', Type: 'Partner', Industry: 'Healthcare', BillingCity: 'Baltimore', BillingState: 'MD', Legacy_Id__c: 'ACC-1003', Mission_Area__c: 'Health' },
  { Name: 'Northwind Food Bank', Type: 'Partner', Industry: 'Nonprofit', BillingCity: 'Minneapolis', BillingState: 'MN', Legacy_Id__c: 'ACC-1004', Mission_Area__c: 'Food Security' },
  { Name: 'Sunrise Housing Trust', Type: 'Foundation', Industry: 'Finance', BillingCity: 'Phoenix', BillingState: 'AZ', Legacy_Id__c: 'ACC-1005', Mission_Area__c: 'Housing' },
  { Name: 'Blue Ridge Youth Alliance', Type: 'Partner', Industry: 'Nonprofit', BillingCity: 'Asheville', BillingState: 'NC', Legacy_Id__c: 'ACC-1006', Mission_Area__c: 'Youth;Education' },
  { Name: 'Cedar Tech Giving Fund', Type: 'Foundation', Industry: 'Technology', BillingCity: 'Seattle', BillingState: 'WA', Legacy_Id__c: 'ACC-1007', AnnualRevenue: 25000000 },
  { Name: 'Lakeside City Council', Type: 'Government', Industry: 'Government', BillingCity: 'Cleveland', BillingState: 'OH', Legacy_Id__c: 'ACC-1008' },
  { Name: 'Prairie Arts Collective', Type: 'Prospect', Industry: 'Nonprofit', BillingCity: 'Omaha', BillingState: 'NE', Legacy_Id__c: 'ACC-1009', Mission_Area__c: 'Education' },
  { Name: 'Evergreen Environmental Fund', Type: 'Foundation', Industry: 'Nonprofit', BillingCity: 'Boulder', BillingState: 'CO', Legacy_Id__c: 'ACC-1010', Mission_Area__c: 'Environment' },
];

export const DEMO_CONTACTS = [
  { FirstName: 'Angela', LastName: 'Brooks', Title: 'Program Officer', Email: 'angela.brooks@riverside-cf.example', account: 0, Preferred_Contact_Method__c: 'Email' },
  { FirstName: 'Daniel', LastName: 'Kim', Title: 'Superintendent', Email: 'dkim@greenfield-usd.example', account: 1, Preferred_Contact_Method__c: 'Phone' },
  { FirstName: 'Fatima', LastName: 'Hassan', Title: 'Community Outreach Lead', Email: 'fhassan@harborhealth.example', account: 2 },
  { FirstName: 'Tom', LastName: 'Lindqvist', Title: 'Operations Director', Email: 'tom@northwindfood.example', account: 3, Volunteer_Skills__c: 'Events;Fundraising' },
  { FirstName: 'Grace', LastName: 'Adeyemi', Title: 'Trustee', Email: 'grace.adeyemi@sunrise-ht.example', account: 4 },
  { FirstName: 'Luis', LastName: 'Ramirez', Title: 'Executive Director', Email: 'luis@blueridgeyouth.example', account: 5, Volunteer_Skills__c: 'Mentoring;Tutoring' },
  { FirstName: 'Priya', LastName: 'Natarajan', Title: 'Giving Manager', Email: 'priya@cedartech.example', account: 6 },
  { FirstName: 'Robert', LastName: 'Chen', Title: 'Council Member', Email: 'rchen@lakeside.example', account: 7 },
  { FirstName: 'Emma', LastName: 'Walsh', Title: 'Curator', Email: 'emma@prairiearts.example', account: 8 },
  { FirstName: 'Noah', LastName: 'Bergstrom', Title: 'Grants Lead', Email: 'noah@evergreenfund.example', account: 9 },
  { FirstName: 'Olivia', LastName: 'Martin', Title: 'Board Chair', Email: 'olivia.martin@riverside-cf.example', account: 0 },
  { FirstName: 'Samuel', LastName: 'Osei', Title: 'Volunteer Coordinator', Email: 'sosei@northwindfood.example', account: 3 },
];

export const DEMO_OPPORTUNITIES = [
  { Name: 'Riverside – After-school Tutoring 2025', account: 0, StageName: 'MOU', Amount: 45000, CloseDate: '+30', Type: 'Grant' },
  { Name: 'Greenfield – STEM Mentors', account: 1, StageName: 'Quote', Amount: 18000, CloseDate: '+45', Type: 'New Business' },
  { Name: 'Harbor Health – Clinic Outreach', account: 2, StageName: 'Follow-up', Amount: 12000, CloseDate: '+60', Type: 'Sponsorship' },
  { Name: 'Northwind – Holiday Food Drive', account: 3, StageName: 'Closed Won', Amount: 8000, CloseDate: '-20', Type: 'In-Kind' },
  { Name: 'Sunrise – Housing Navigators', account: 4, StageName: 'Proposal/Price Quote', Amount: 60000, CloseDate: '+90', Type: 'Grant' },
  { Name: 'Blue Ridge – Summer Camp', account: 5, StageName: 'Qualification', Amount: 15000, CloseDate: '+75', Type: 'New Business' },
  { Name: 'Cedar Tech – Laptop Donation', account: 6, StageName: 'Closed Lost', Amount: 30000, CloseDate: '-45', Type: 'In-Kind' },
  { Name: 'Lakeside – Youth Jobs Program', account: 7, StageName: 'Negotiation/Review', Amount: 52000, CloseDate: '+20', Type: 'Grant' },
  { Name: 'Evergreen – Urban Gardens', account: 9, StageName: 'Prospecting', Amount: 9000, CloseDate: '+120', Type: 'Grant' },
];

export const DEMO_GRANTS = [
  { Name: 'Riverside Literacy Grant 2025', account: 0, Amount__c: 45000, Status__c: 'Awarded', Program_Area__c: 'Education;Youth', Funder_Reference__c: 'RCF-2025-014', Award_Date__c: '-40' },
  { Name: 'Sunrise Housing Capacity Grant', account: 4, Amount__c: 60000, Status__c: 'Submitted', Program_Area__c: 'Housing', Funder_Reference__c: 'SHT-APP-77', Application_Deadline__c: '-5' },
  { Name: 'Cedar Tech Digital Inclusion', account: 6, Amount__c: 25000, Status__c: 'Declined', Program_Area__c: 'Education', Funder_Reference__c: 'CTGF-0931' },
  { Name: 'Evergreen Green Schoolyards', account: 9, Amount__c: 15000, Status__c: 'Draft', Program_Area__c: 'Environment;Youth', Application_Deadline__c: '+25' },
];

const FIRST = ['Alex', 'Bianca', 'Carlos', 'Dana', 'Elijah', 'Fiona', 'Gabriel', 'Hannah', 'Isaac', 'Julia', 'Kwame', 'Leah', 'Mateo', 'Nadia', 'Owen', 'Paula', 'Quinn', 'Rosa', 'Sanjay', 'Tara', 'Umar', 'Vera', 'Wesley', 'Ximena', 'Yusuf', 'Zoe', 'Ben', 'Clara', 'Diego', 'Elena'];
const LAST = ['Nguyen', 'Patel', 'Johnson', 'Garcia', 'Smith', 'Okoro', 'Rossi', 'Müller', 'Kowalski', 'Haddad', 'Tanaka', 'Silva', 'Dubois', 'Ahmed', 'Clarke', 'Santos', 'Ivanova', 'Mensah', 'Larsen', 'Cohen', 'Reyes', 'Fischer', 'Moreau', 'Baker', 'Novak', "O'Brien", 'Park', 'Lopez', 'Singh', 'Wright'];
const ORGS = ['Bright Futures Academy', 'Mesa Verde Clinic', 'Hillside Tenants Union', 'Oak Street Pantry', 'Coastal Youth Sailing', 'Metro Literacy Project', 'Valley Seniors Network', 'Harvest Table Co-op', 'Summit Scholars', 'Willow Creek Library', 'Bridgeway Shelter', 'Canal District Arts', 'Pine Hollow Camp', 'Lighthouse Mentors', 'Redwood Climate Action'];
const STATUSES = ['Open - Not Contacted', 'Open - Not Contacted', 'Working - Contacted', 'Working - Contacted', 'Qualified', 'Closed - Not Converted'];
const ROLES = ['Partner', 'Partner', 'Donor', 'Volunteer', 'Grantee', 'Vendor'];
const INTERESTS = ['Education', 'Health', 'Housing', 'Food Security', 'Youth', 'Environment', 'Arts'];
const STAGES = ['Follow-up', 'Quote', 'MOU', 'Signed', null];
const SOURCES = ['Web', 'Partner Referral', 'Event', 'Phone Inquiry', 'Other'];
const REGIONS = ['Northeast', 'Southeast', 'Midwest', 'Southwest', 'West'];
const SIZES = ['1-10', '11-50', '51-200', '201-1000'];

/** ~30 leads in various statuses, deterministic (index-based) so demos and screenshots repeat. */
export function demoLeads(count = 30): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => {
    const first = FIRST[i % FIRST.length] as string;
    const last = LAST[(i * 7) % LAST.length] as string;
    const company = ORGS[i % ORGS.length] as string;
    const domain = company.toLowerCase().replace(/[^a-z]+/g, '') + '.example';
    const interests = [INTERESTS[i % INTERESTS.length], INTERESTS[(i + 3) % INTERESTS.length]].join(';');
    return {
      FirstName: first,
      LastName: last,
      Company: company,
      Title: ['Executive Director', 'Program Manager', 'Development Officer', 'Volunteer Lead'][i % 4],
      Email: `${first.toLowerCase()}.${last.toLowerCase().replace(/[^a-z]/g, '')}@${domain}`,
      Phone: `+1 415 555 01${String(i).padStart(2, '0')}`,
      City: ['Portland', 'Austin', 'Denver', 'Chicago', 'Atlanta', 'Boston'][i % 6],
      State: ['OR', 'TX', 'CO', 'IL', 'GA', 'MA'][i % 6],
      Country: 'United States',
      Status: STATUSES[i % STATUSES.length],
      LeadSource: SOURCES[i % SOURCES.length],
      Rating: ['Hot', 'Warm', 'Cold'][i % 3],
      Role__c: ROLES[i % ROLES.length],
      Program_Interest__c: interests,
      Partnership_Stage__c: STAGES[i % STAGES.length],
      Organization_Size__c: SIZES[i % SIZES.length],
      Region__c: REGIONS[i % REGIONS.length],
      Estimated_Budget__c: 5000 + ((i * 3700) % 60000),
      Follow_Up_Date__c: i % 3 === 0 ? null : `+${(i % 20) + 1}`,
      Newsletter_Opt_In__c: i % 2 === 0,
      Website_Form_Id__c: `WF-${String(2400 + i)}`,
      Preferred_Language__c: ['English', 'Spanish', 'English', 'Korean', 'French'][i % 5],
      Description: i % 4 === 0 ? 'Met at the spring community partners fair; interested in a joint program.' : null,
    };
  });
}
