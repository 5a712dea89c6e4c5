/** The admin audit log: who changed what, when. Details carry field names and non-secret values only. */

export interface AuditEntry {
  readonly at: string;
  readonly actor: string;
  readonly requestId: string;
  readonly action: string;
  readonly teamId: string | null;
  readonly subject: string | null;
  readonly details: Readonly<Record<string, unknown>>;
}

interface AuditRow {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly request_id: string;
  readonly action: string;
  readonly team_id: string | null;
  readonly subject: string | null;
  readonly details: string;
}

export function insertAudit(db: D1Database, entry: AuditEntry): D1PreparedStatement {
  return db
    .prepare('INSERT INTO audit_log (at, actor, request_id, action, team_id, subject, details) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)')
    .bind(entry.at, entry.actor, entry.requestId, entry.action, entry.teamId, entry.subject, JSON.stringify(entry.details));
}

export interface AuditQuery {
  readonly teamId: string | null;
  readonly limit: number;
  /** Entries with an id below this one (for paging backwards); null: the newest. */
  readonly before: number | null;
}

export async function listAudit(db: D1Database, query: AuditQuery): Promise<(AuditEntry & { readonly id: number })[]> {
  const { results } = await db
    .prepare('SELECT * FROM audit_log WHERE (?1 IS NULL OR team_id = ?1) AND (?2 IS NULL OR id < ?2) ORDER BY id DESC LIMIT ?3')
    .bind(query.teamId, query.before, query.limit)
    .all<AuditRow>();
  return results.map((row) => ({
    id: row.id,
    at: row.at,
    actor: row.actor,
    requestId: row.request_id,
    action: row.action,
    teamId: row.team_id,
    subject: row.subject,
    details: JSON.parse(row.details) as Record<string, unknown>,
  }));
}
