/** Injection token of the database URL in use (DATABASE_URL or the embedded one): LISTEN connections and Postgres locks open their own client on it. */
export const DATABASE_URL = Symbol('DATABASE_URL');
