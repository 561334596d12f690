package redisbus

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestEncodeRecordMatchesMarshal(t *testing.T) {
	for i, r := range variedRecords() {
		enc, err := encodeRecord(&r)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name string
			got  []byte
			v    any
		}{{"record", enc.record, r}, {"state", enc.state, r.Event}, {"change", enc.change, r.Change}} {
			want, err := json.Marshal(c.v)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(c.got, want) {
				t.Fatalf("record %d: the %s differs from json.Marshal:\n got %s\nwant %s", i, c.name, c.got, want)
			}
		}
	}
}

// BenchmarkEncodeRecord is the ingest path's encoding of one record;
// BenchmarkEncodeRecordTwice what it replaced (the record, then its event).
func BenchmarkEncodeRecord(b *testing.B) {
	r := sampleRecord()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := encodeRecord(&r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeRecordTwice(b *testing.B) {
	r := sampleRecord()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(r); err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(r.Event); err != nil {
			b.Fatal(err)
		}
	}
}
