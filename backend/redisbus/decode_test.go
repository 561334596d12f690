package redisbus

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// sampleRecord is a fully populated record: every field of the event and the
// change set, CJK text, a whistle with and without check-in.
func sampleRecord() event.Record {
	at := time.Date(2026, 5, 4, 9, 30, 15, 123456789, time.FixedZone("CST", 8*3600))
	return event.Record{Type: event.RecordUpdate,
		Event: event.Event{ID: "ev_01JABCDEFGHJKMNPQRSTVWXYZ0", Kind: event.Hotline, SourceID: "12345-2026-000123", Source: "hotline12345",
			Category: "housing", Severity: event.High, Status: event.Dispatched,
			Title: "小区楼道堆放杂物", Description: "居民反映3号楼楼道长期堆放杂物，存在消防隐患。\n\"引号\" \\ \u2028 <tag> &amp;",
			Lon: 114.6512345, Lat: 33.6212345, GridID: "411602001001001", CommunityID: "411602001001", StreetCode: "411602001",
			Address: "川汇区七一路街道某小区3号楼", OccurredAt: at.Add(-time.Hour), ReportedAt: at.Add(-50 * time.Minute), UpdatedAt: at,
			CallerName: "张三", CallerPhone: "13812345678", ReporterName: "李四", Assignee: "gafj",
			RespondBy: at.Add(15 * time.Minute), CloseBy: at.Add(24 * time.Hour), Overdue: true,
			Whistle: []event.CheckIn{{Department: "gafj", Due: at.Add(15 * time.Minute), At: at.Add(9 * time.Minute)},
				{Department: "sfj", Due: at.Add(time.Hour), Missed: true}},
			Rating: 4, MergedInto: "", Merged: []string{"ev_a", "ev_b"}},
		Change: event.Change{EventID: "ev_01JABCDEFGHJKMNPQRSTVWXYZ0", At: at, From: event.Reported, To: event.Dispatched,
			Actor: "officer-7", Reason: "派单", Action: "dispatch", Target: "gafj"}}
}

// TestDecodeRecordMatchesEncodingJSON holds decodeRecord (goccy/go-json) to
// encoding/json's result for what Append writes: the sample and random
// variations of it (empty and odd strings, zero times, extreme numbers).
func TestDecodeRecordMatchesEncodingJSON(t *testing.T) {
	records := variedRecords()
	for i, r := range records {
		raw, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var want event.Record
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatal(err)
		}
		want.SetSeq(uint64(i + 1))
		got, err := decodeRecord(uint64(i+1), raw)
		if err != nil {
			t.Fatalf("record %d: %v\n%s", i, err, raw)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("record %d decodes differently:\n got %+v\nwant %+v\njson %s", i, got, want, raw)
		}
	}
}

func TestDecodeRecordRejectsBrokenJSON(t *testing.T) {
	for _, raw := range []string{"", "{", `{"event":{"lon":"x"}}`, `[1]`, `{"type":"event"}x`} {
		if _, err := decodeRecord(7, []byte(raw)); err == nil {
			t.Errorf("decodeRecord(%q) = nil error", raw)
		}
	}
}

// BenchmarkDecodeRecord is the per-record decode cost of the follower and
// the history writer; BenchmarkDecodeRecordEncodingJSON the alternative.
func BenchmarkDecodeRecord(b *testing.B) {
	raw, _ := json.Marshal(sampleRecord())
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeRecord(1, raw); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeRecordEncodingJSON(b *testing.B) {
	raw, _ := json.Marshal(sampleRecord())
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		var r event.Record
		if err := json.Unmarshal(raw, &r); err != nil {
			b.Fatal(err)
		}
	}
}

// variedRecords are the sample and random variations of it (empty and odd
// strings, zero times, extreme numbers).
func variedRecords() []event.Record {
	rng := rand.New(rand.NewPCG(1, 2))
	strs := []string{"", "a", "叶某", "\x00\x1f", "\ufffd", strings.Repeat("长", 2000), `\"`, "\u2028\u2029", "😀"}
	pick := func() string { return strs[rng.IntN(len(strs))] }
	records := []event.Record{sampleRecord(), {}}
	for range 500 {
		r := sampleRecord()
		r.Event.Title, r.Event.Description, r.Event.Address = pick(), pick(), pick()
		r.Event.CallerName, r.Change.Reason = pick(), pick()
		r.Event.Lon, r.Event.Lat = rng.NormFloat64()*1e6, rng.Float64()*1e-300
		r.Event.Rating = uint8(rng.IntN(256))
		if rng.IntN(2) == 0 {
			r.Event.RespondBy, r.Event.CloseBy, r.Event.Whistle, r.Event.Merged = time.Time{}, time.Time{}, nil, nil
		}
		if rng.IntN(3) == 0 {
			r.Event.OccurredAt = time.Unix(rng.Int64N(1<<33), rng.Int64N(1e9)).UTC()
		}
		records = append(records, r)
	}
	return records
}
