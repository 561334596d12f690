package redisbus

// Keys names every Redis key and channel of one deployment. All live keys
// share the hash tag {live}, so the append script's keys sit in one slot and
// the same code runs against a Redis Cluster.
type Keys struct {
	Seq     string // INCR counter: the last assigned sequence
	Epoch   string // random id of this log's lifetime; changes when Redis lost data
	Log     string // the durable Stream; entry id = "<seq>-0"
	Open    string // ZSET of open event ids, scored by the seq that reported them
	Channel string // pub/sub channel carrying "<seq> <record JSON>"
	prefix  string
}

// NewKeys derives every key from a prefix such as "gridcc:".
func NewKeys(prefix string) Keys {
	p := prefix + "{live}:"
	return Keys{Seq: p + "seq", Epoch: p + "epoch", Log: p + "log", Open: p + "open", Channel: p + "pub", prefix: p}
}

// Event is the key holding an event's current state (JSON).
func (k Keys) Event(id string) string { return k.prefix + "ev:" + id }

// EventPrefix is the prefix of every Event key (the scripts build keys from it).
func (k Keys) EventPrefix() string { return k.prefix + "ev:" }

// Idempotency is the key remembering which event a kind+source_id produced.
func (k Keys) Idempotency(kind, sourceID string) string {
	return k.prefix + "idem:" + kind + ":" + sourceID
}

// Day is the HASH of per-kind counts of events reported on a local date
// (YYYY-MM-DD in the district's time zone).
func (k Keys) Day(date string) string { return k.prefix + "day:" + date }
