package chstore

// InsertQueryID and InsertRange let tests name and read the query ids the
// store gives its inserts. The others are helpers of this package's own
// tests, shared with its external ones.
var (
	InsertQueryID = insertQueryID
	InsertRange   = insertRange
	DatabaseOf    = databaseOf
	OpenConn      = openConn
	CountOf       = countOf
)

type OnceLock = onceLock
