package chstore

// InsertQueryID lets tests run a query the store takes for one of its own
// inserts.
var InsertQueryID = insertQueryID
