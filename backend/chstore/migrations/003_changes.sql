-- One row per log record (every state change, the report included), keyed
-- by the log's global seq: ORDER BY seq makes the writer's "which of these
-- seqs are stored already?" a cheap range read.
-- The event's fields are copied from the record so that every KPI groups
-- the changes by the cohort (the report's `day`) without a join; the KPI
-- columns (reported … due_at) are worked out by the writer (package history).
CREATE TABLE IF NOT EXISTS changes (
    seq          UInt64,
    event_id     String,
    at           DateTime,
    from_status  LowCardinality(String),
    to_status    LowCardinality(String),
    action       LowCardinality(String),
    actor        String,
    target       String,
    rating       UInt8,
    kind         LowCardinality(String),
    category     LowCardinality(String),
    severity     LowCardinality(String),
    grid_id      String,
    street_code  LowCardinality(String),
    reported_at  DateTime,
    day          Date,
    reported     UInt8,
    done_delta   Int8,
    closing      UInt8,
    handling_s   UInt32,
    sla_s        UInt32,
    on_time      UInt8,
    rated        UInt8,
    satisfied    UInt8,
    due_at       DateTime
) ENGINE = MergeTree
PARTITION BY toYYYYMM(day)
ORDER BY seq;

-- The KPI counters per report day, kind, category and street. Handling
-- time goes into a quantileTiming state of 5-minute units (see compat.go):
-- its merge adds histograms, so the result does not depend on how parts
-- were merged.
CREATE TABLE IF NOT EXISTS kpi_daily (
    day         Date,
    kind        LowCardinality(String),
    category    LowCardinality(String),
    street_code LowCardinality(String),
    reported    AggregateFunction(sum, UInt64),
    done        AggregateFunction(sum, Int64),
    closings    AggregateFunction(sum, UInt64),
    on_time     AggregateFunction(sum, UInt64),
    ratings     AggregateFunction(sum, UInt64),
    satisfied   AggregateFunction(sum, UInt64),
    handling    AggregateFunction(quantilesTimingIf(0.5, 0.9), UInt32, UInt8)
) ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(day)
ORDER BY (day, kind, category, street_code);

CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_daily_mv TO kpi_daily AS
SELECT day, kind, category, street_code,
       sumState(toUInt64(reported))                                        AS reported,
       sumState(toInt64(done_delta))                                       AS done,
       sumState(toUInt64(closing))                                         AS closings,
       sumState(toUInt64(on_time))                                         AS on_time,
       sumState(toUInt64(rated))                                           AS ratings,
       sumState(toUInt64(satisfied))                                       AS satisfied,
       quantilesTimingIfState(0.5, 0.9)(toUInt32(intDiv(handling_s, 300)), closing) AS handling
FROM changes
GROUP BY day, kind, category, street_code;

-- Open events for the risk level: +1 for the report, −1 when done, +1 when
-- reopened. SummingMergeTree deletes a row whose sum is 0 when it merges,
-- so the table shrinks to the events open now.
CREATE TABLE IF NOT EXISTS open_events (
    grid_id  String,
    event_id String,
    severity LowCardinality(String),
    due_at   DateTime,
    open     Int64
) ENGINE = SummingMergeTree(open)
ORDER BY (grid_id, event_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS open_events_mv TO open_events AS
SELECT grid_id, event_id, severity, due_at, toInt64(reported) - toInt64(done_delta) AS open
FROM changes
WHERE reported = 1 OR done_delta != 0;
