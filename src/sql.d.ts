/** A .sql file imported by the Worker is its text (wrangler's default module rule for `**\/*.sql`). */
declare module '*.sql' {
  const text: string;
  export default text;
}
