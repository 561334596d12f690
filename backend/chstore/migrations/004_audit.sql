-- The audit log (等保 8.1.4.3): logins, denials, actions, reveals, exports.
-- Written by package audit in batches; gridcc's API only appends to it and
-- reads it (GET /api/v1/audit), never updates or deletes.
-- `id` is a UUIDv7 given when the record is made: a batch retried after an
-- uncertain insert, or drained twice from the Redis spill list, repeats
-- its ids, and readers keep one row per id (LIMIT 1 BY id). It also orders
-- records within one second.
-- Retention is at least 180 days (Cybersecurity Law art. 21): 18.16 has no
-- TTL, so old months go with ALTER TABLE audit DROP PARTITION <YYYYMM>,
-- keeping at least the last 7 months.
CREATE TABLE IF NOT EXISTS audit (
    at      DateTime,
    id      String,
    user    String,
    role    LowCardinality(String),
    action  LowCardinality(String),
    object  String,
    outcome LowCardinality(String),
    ip      String,
    detail  String
) ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (at, user, id);
