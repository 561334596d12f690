-- Facts about the history itself. `timezone` records the district zone the
-- writer used for every row's `day`: days computed in another zone would
-- not line up, so the store refuses to start with a different one.
CREATE TABLE IF NOT EXISTS history_meta (
    key    String,
    value  String,
    set_at DateTime
) ENGINE = ReplacingMergeTree(set_at)
ORDER BY key;
