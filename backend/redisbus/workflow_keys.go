package redisbus

// The case workflow's keys, all under the {live} hash tag beside the log
// (its scripts touch them together with the log and the event states).

// SLADue is the ZSET of queued SLA deadlines (workflow.Deadline members),
// scored by due time in Unix ms; a claimed deadline is scored by its lease.
func (k Keys) SLADue() string { return k.prefix + "sla:due" }

// Closed is the ZSET of recently done events, scored by when they were done
// (Unix ms); pruned to the closed-state TTL.
func (k Keys) Closed() string { return k.prefix + "closed" }

// Timeline is the capped LIST of an event's changes ("<seq> <change JSON>").
func (k Keys) Timeline(id string) string { return k.prefix + "tl:" + id }

// Care is the JSON of an event's long-term care (workflow.Care).
func (k Keys) Care(id string) string { return k.prefix + "care:" + id }

// CareOpen is the ZSET of events with follow-ups pending, scored by the
// earliest due (Unix ms).
func (k Keys) CareOpen() string { return k.prefix + "care:open" }

// Disputes is the ZSET of the disputes reported in a grid (event ids scored
// by report time, Unix ms), for long-term care.
func (k Keys) Disputes(gridID string) string { return k.prefix + "disputes:" + gridID }
