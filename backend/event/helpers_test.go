package event

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
)

// testNow is the server clock of every test: 2025-06-01 12:00 in 周口.
var testNow = mustTime("2025-06-01T12:00:00+08:00")

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr(f float64) *float64 { return &f }

// validInput returns a valid input of kind k, shaped like what each sending
// system posts.
func validInput(k Kind) Input {
	in := Input{
		Kind:       k,
		SourceID:   "SRC-2025-000123",
		Severity:   Medium,
		OccurredAt: "2025-06-01T11:40:00+08:00",
	}
	switch k {
	case GridEvent:
		in.Category, in.Title = "dispute", "建设路社区 噪音纠纷"
		in.Description = "楼上住户深夜装修，邻里发生争执。\n已到场劝解。"
		in.Lon, in.Lat = ptr(114.6468), ptr(33.6165)
		in.Address = "川汇区城南街道建设路社区3号楼"
		in.ReporterName = "叶文华"
	case Hotline:
		in.Category, in.Title = "housing", "小区电梯停运三天"
		in.GridID = "411602002-017"
		in.CallerPhone, in.CallerName = "13812345678", "王秀英"
	case CameraAlert:
		in.Category, in.Title = "crowd", "人员聚集 七一路口"
		in.CameraID = "41160200001320000123"
		in.Severity = High
	case Warning:
		in.Category, in.Title = "gas", "燃气浓度超限"
		in.SensorID = "GAS-0042"
		in.Lon, in.Lat = ptr(114.6512), ptr(33.6201)
		in.Severity = Critical
	}
	return in
}

// mustJSON encodes v for a request body.
func mustJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatalf("encode %T: %v", v, err)
	}
	return b
}

// clientCodes are the codes a bad request may produce: all 4xx.
var clientCodes = map[apperr.Code]bool{
	apperr.Invalid: true, apperr.Unprocessable: true, apperr.TooLarge: true, apperr.Conflict: true,
}

// requireClientError fails unless err is an *apperr.Error with a 4xx code
// and a message, and returns it.
func requireClientError(tb testing.TB, err error) *apperr.Error {
	tb.Helper()
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		tb.Fatalf("error %v (%T) is not an *apperr.Error", err, err)
	}
	if !clientCodes[ae.Code] || ae.Message == "" {
		tb.Fatalf("error %v: want a 4xx code and a message", err)
	}
	return ae
}
