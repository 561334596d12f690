package event

import (
	"bytes"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/gridcc/gridcc/backend/apperr"
)

const minimalBody = `{"kind":"hotline","source_id":"H1","category":"housing","severity":"low","title":"电梯停运","grid_id":"411602002-017","occurred_at":"2025-06-01T11:00:00+08:00"}`

func TestDecodeInput(t *testing.T) {
	for _, tc := range []struct {
		name      string
		body      string
		wantCode  apperr.Code // "" when the body decodes
		wantField string
		wantMsg   string // a part of the message
	}{
		{"OK_minimal", minimalBody, "", "", ""},
		{"OK_whitespaceAround", " \r\n\t" + minimalBody + "\n\n", "", "", ""},
		{"OK_nullOptionalFields", `{"kind":"warning","lon":null,"lat":null,"description":null}`, "", "", ""},
		{"OK_escapes", `{"title":"\u7535\u68af\n\"\/"}`, "", "", ""},
		{"OK_wrongValuesAreForValidate", `{"kind":"nope","lon":1000}`, "", "", ""},

		{"ErrEmpty", "", apperr.Invalid, "", "body is empty"},
		{"ErrOnlyWhitespace", " \n ", apperr.Invalid, "", "body is empty"},
		{"ErrNull", "null", apperr.Invalid, "", "must be a JSON object"},
		{"ErrArray", "[" + minimalBody + "]", apperr.Invalid, "", "must be a JSON object"},
		{"ErrString", `"hotline"`, apperr.Invalid, "", "must be a JSON object"},
		{"ErrByteOrderMark", "\ufeff" + minimalBody, apperr.Invalid, "", "must be a JSON object (byte offset 0)"},
		{"ErrUnknownField", `{"kind":"hotline","priority":1}`, apperr.Invalid, "priority", `unknown field "priority"`},
		{"ErrUnknownFieldNested", `{"extra":{"a":[1,2,{"b":null}]}}`, apperr.Invalid, "extra", "unknown field"},
		{"ErrUnknownFieldLongNameCut", `{"` + strings.Repeat("x", 1000) + `":1}`, apperr.Invalid, strings.Repeat("x", maxEchoedName) + "…", "unknown field"},
		{"ErrCaseFoldedField", `{"Title":"a"}`, apperr.Invalid, "Title", `unknown field "Title"`},
		{"ErrKelvinSignField", `{"\u212aind":"hotline"}`, apperr.Invalid, "\u212aind", "unknown field"},
		{"ErrDuplicateField", `{"title":"a","kind":"hotline","title":"b"}`, apperr.Invalid, "title", "title is given twice"},
		{"ErrDuplicateFieldEscaped", `{"title":"a \\\" b","kind":"hotline","\u0074itle":"b"}`, apperr.Invalid, "title", "title is given twice"},
		{"ErrDuplicateAfterNested", `{"title":{"title":[{"title":1}]},"title":"b"}`, apperr.Invalid, "title", "title"},
		{"ErrStringForNumber", `{"lon":"114.6"}`, apperr.Invalid, "lon", "lon must be a JSON number, not string"},
		{"ErrNumberForString", `{"title":42}`, apperr.Invalid, "title", "title must be a JSON string, not number"},
		{"ErrBoolForKind", `{"kind":true}`, apperr.Invalid, "kind", "kind must be a JSON string, not bool"},
		{"ErrObjectForString", `{"title":{"zh":"a"}}`, apperr.Invalid, "title", "title must be a JSON string, not object"},
		{"ErrArrayForNumber", `{"lat":[33.6]}`, apperr.Invalid, "lat", "lat must be a JSON number, not array"},
		{"ErrHugeNumber", `{"lon":1e999}`, apperr.Invalid, "lon", "lon is out of range"},
		{"ErrTrailingBytes", minimalBody + "x", apperr.Invalid, "", "unexpected data after the JSON object at byte offset " + strconv.Itoa(len(minimalBody))},
		{"ErrTwoObjects", minimalBody + "\n" + minimalBody, apperr.Invalid, "", "unexpected data after the JSON object"},
		{"ErrTruncated", `{"kind":"hotline","title":`, apperr.Invalid, "", "ends early at byte offset 26"},
		{"ErrTruncatedString", `{"kind":"hotl`, apperr.Invalid, "", "ends early"},
		{"ErrMissingColon", `{"kind" "hotline"}`, apperr.Invalid, "", "malformed JSON at byte offset 8: invalid character '\"' after object key"},
		{"ErrTrailingComma", `{"kind":"hotline",}`, apperr.Invalid, "", "malformed JSON at byte offset"},
		{"ErrSingleQuotes", `{'kind':'hotline'}`, apperr.Invalid, "", "malformed JSON at byte offset 1"},
		{"ErrRawNULInString", "{\"title\":\"a\x00b\"}", apperr.Invalid, "", "malformed JSON"},
		{"ErrInvalidUTF8", "{\"title\":\"\xe7\x94\"}", apperr.Invalid, "", "valid UTF-8 (invalid byte at offset 10)"},
		{"ErrDeepNesting", `{"title":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`, apperr.Invalid, "", "exceeded max depth"},
		{"ErrTooLarge", `{"title":"` + strings.Repeat("a", MaxBodyBytes) + `"}`, apperr.TooLarge, "", "at most 65536 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeInput([]byte(tc.body))
			if tc.wantCode == "" {
				if err != nil {
					t.Fatalf("DecodeInput: %v", err)
				}
				return
			}
			ae := requireClientError(t, err)
			if ae.Code != tc.wantCode || ae.Field != tc.wantField || !strings.Contains(ae.Message, tc.wantMsg) {
				t.Fatalf("DecodeInput = %v (field %q)\nwant code %s, field %q, message containing %q",
					err, ae.Field, tc.wantCode, tc.wantField, tc.wantMsg)
			}
		})
	}
}

// TestDecodeInputFields checks that every field lands where it belongs.
func TestDecodeInputFields(t *testing.T) {
	for _, k := range Kinds {
		t.Run("OK_"+string(k), func(t *testing.T) {
			want := validInput(k)
			got, err := DecodeInput(mustJSON(t, want))
			if err != nil {
				t.Fatalf("DecodeInput: %v", err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("DecodeInput\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestDecodeBatch(t *testing.T) {
	item := minimalBody
	items := func(n int) string {
		return `{"events":[` + strings.TrimSuffix(strings.Repeat(item+",", n), ",") + `]}`
	}
	for _, tc := range []struct {
		name      string
		body      string
		wantItems int
		wantCode  apperr.Code
		wantField string
		wantMsg   string
	}{
		{"OK_one", items(1), 1, "", "", ""},
		{"OK_badItemsKeptRaw", `{"events":[` + item + `,{"kind":1},null,"x",{"foo":{}}]}`, 5, "", "", ""},
		{"OK_invalidUTF8ItemKeptForItsOwnError", "{\"events\":[{\"title\":\"\xff\"}]}", 1, "", "", ""},
		{"OK_whitespace", "\n{ \"events\" : [ " + item + " ] }\n", 1, "", "", ""},
		{"OK_maxBatch", items(MaxBatch), MaxBatch, "", "", ""},

		{"ErrEmpty", "", 0, apperr.Invalid, "", "body is empty"},
		{"ErrBareArray", "[" + item + "]", 0, apperr.Invalid, "", "must be a JSON object"},
		{"ErrEventsMissing", `{}`, 0, apperr.Invalid, "events", "events is required"},
		{"ErrEventsNull", `{"events":null}`, 0, apperr.Invalid, "events", "events is required"},
		{"ErrEventsEmpty", `{"events":[]}`, 0, apperr.Invalid, "events", "events is required"},
		{"ErrEventsObject", `{"events":{"0":{}}}`, 0, apperr.Invalid, "events", "must be a JSON array"},
		{"ErrEventsHugeNumber", `{"events":1e999}`, 0, apperr.Invalid, "events", "must be a JSON array"},
		{"ErrUnknownField", `{"events":[{}],"source":"x"}`, 0, apperr.Invalid, "source", `unknown field "source"`},
		{"ErrCaseFoldedField", `{"Events":[{}]}`, 0, apperr.Invalid, "Events", "unknown field"},
		{"ErrDuplicateEvents", `{"events":[{}],"events":[{}]}`, 0, apperr.Invalid, "events", "given twice"},
		{"ErrTooMany", items(MaxBatch + 1), 0, apperr.TooLarge, "events", "at most 1000 items"},
		{"ErrTrailingBytes", items(1) + "]", 0, apperr.Invalid, "", "unexpected data after the JSON object"},
		{"ErrTruncatedInArray", `{"events":[` + item, 0, apperr.Invalid, "", "ends early"},
		{"ErrTruncatedInItem", `{"events":[{"kind":`, 0, apperr.Invalid, "", "ends early"},
		{"ErrTrailingCommaInArray", `{"events":[{},]}`, 0, apperr.Invalid, "", "malformed JSON at byte offset 14"},
		{"ErrMissingComma", `{"events":[{} {}]}`, 0, apperr.Invalid, "", "malformed JSON"},
		{"ErrDeepNestingInItem", `{"events":[` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `]}`, 0, apperr.Invalid, "", "exceeded max depth"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecodeBatch([]byte(tc.body))
			if tc.wantCode == "" {
				if err != nil {
					t.Fatalf("DecodeBatch: %v", err)
				}
				if len(got) != tc.wantItems {
					t.Fatalf("DecodeBatch returned %d items, want %d", len(got), tc.wantItems)
				}
				return
			}
			ae := requireClientError(t, err)
			if ae.Code != tc.wantCode || ae.Field != tc.wantField || !strings.Contains(ae.Message, tc.wantMsg) {
				t.Fatalf("DecodeBatch = %v (field %q)\nwant code %s, field %q, message containing %q",
					err, ae.Field, tc.wantCode, tc.wantField, tc.wantMsg)
			}
		})
	}
}

// TestDecodeBatchItemsAreVerbatim checks that each item is the exact bytes
// sent, so the per-item decode reports offsets within the item.
func TestDecodeBatchItemsAreVerbatim(t *testing.T) {
	a, b := `{"kind" : "hotline"}`, `{"title":"\u7535"}`
	got, err := DecodeBatch([]byte(`{"events":[` + a + ` ,` + "\n" + b + `]}`))
	if err != nil {
		t.Fatalf("DecodeBatch: %v", err)
	}
	if len(got) != 2 || !bytes.Equal(got[0], []byte(a)) || !bytes.Equal(got[1], []byte(b)) {
		t.Fatalf("DecodeBatch = %q, want [%q %q]", got, a, b)
	}
}

// BenchmarkDecodeInput is ingest's decoding of one 500-byte event (the live
// benchmark's size), checks included.
func BenchmarkDecodeInput(b *testing.B) {
	body := []byte(`{"kind":"hotline","source_id":"H1","category":"housing","severity":"low","title":"电梯停运",` +
		`"description":"` + strings.Repeat("居民反映电梯停运", 12) + `","lon":114.65,"lat":33.62,` +
		`"address":"川汇区七一路街道某小区3号楼","caller_phone":"13812345678","occurred_at":"2025-06-01T11:00:00+08:00"}`)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeInput(body); err != nil {
			b.Fatal(err)
		}
	}
}
