-- exportctl schema 1 (SQLite): accounts, sessions, tokens, sign-in failures,
-- shipment checks and the hash-chained audit log.  Times are seconds since
-- the epoch (UTC); token hashes and audit hashes are 32-byte SHA-256 blobs.
-- Tables are STRICT so that a wrong type is an error, not a silent cast.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL COLLATE NOCASE UNIQUE,
    email         TEXT NOT NULL COLLATE NOCASE UNIQUE,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'officer', 'admin')),
    disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
    id         INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    persistent INTEGER NOT NULL CHECK (persistent IN (0, 1)),
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    csrf       BLOB NOT NULL CHECK (length(csrf) = 32)
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE reset_tokens (
    token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX reset_tokens_user ON reset_tokens (user_id);

CREATE TABLE api_tokens (
    id         INTEGER PRIMARY KEY,
    token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    label      TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- One row per failed sign-in; key is "user:<name>" or "addr:<ip>".
CREATE TABLE signin_failures (
    id  INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    at  INTEGER NOT NULL
) STRICT;
CREATE INDEX signin_failures_key ON signin_failures (key, at);

-- user_id is NULL for checks made outside an account (the CLI).
CREATE TABLE checks (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER REFERENCES users (id),
    created_at   INTEGER NOT NULL,
    verdict      TEXT NOT NULL
                 CHECK (verdict IN ('clear', 'licence_required', 'review', 'prohibited')),
    request_json TEXT NOT NULL,
    result_json  TEXT NOT NULL
) STRICT;

-- seq is assigned by the appender (last + 1) inside BEGIN IMMEDIATE; hash is
-- defined in docs/audit-log.md.
CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY CHECK (seq >= 1),
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    detail_json TEXT NOT NULL,
    prev_hash   BLOB NOT NULL CHECK (length(prev_hash) = 32),
    hash        BLOB NOT NULL CHECK (length(hash) = 32)
) STRICT;
CREATE INDEX audit_log_actor ON audit_log (actor, seq);

-- Append-only for the application.  Someone with the file can drop these;
-- the hash chain is what catches that (exportctl audit verify).
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit log is append-only');
END;
