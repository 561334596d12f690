package chstore

// InsertQueryID and InsertRange let tests name and read the query ids the
// store gives its inserts; DatabaseOf is a test helper of this package's
// own tests.
var (
	InsertQueryID = insertQueryID
	InsertRange   = insertRange
	DatabaseOf    = databaseOf
)
