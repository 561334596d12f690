package chstore

// InsertQueryID and InsertRange let tests name and read the query ids the
// store gives its inserts.
var (
	InsertQueryID = insertQueryID
	InsertRange   = insertRange
)
