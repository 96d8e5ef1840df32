// Replaced by the template-database setup (Foundation issue).
export default async function globalSetup(): Promise<void> {}
