package wshub

import (
	"testing"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
)

func TestCompileFilter(t *testing.T) {
	s1, s2, s3 := testStreets[0], testStreets[1], testStreets[2]
	tests := []struct {
		name    string
		f       Filter
		scope   Scope
		wantErr apperr.Code
		pass    []attrs
		block   []attrs
	}{
		{name: "OKNoScopeNoFilter", pass: []attrs{{street: s1, kind: event.Hotline, rank: 1}}},
		{name: "OKScopeMeansScope", scope: Scope{Streets: []string{s1, s2}},
			pass:  []attrs{{street: s1, rank: 1}, {street: s2, rank: 1}},
			block: []attrs{{street: s3, rank: 1}}},
		{name: "OKSubsetOfScope", f: Filter{Streets: []string{s2}}, scope: Scope{Streets: []string{s1, s2}},
			pass: []attrs{{street: s2, rank: 1}}, block: []attrs{{street: s1, rank: 1}}},
		{name: "ErrForbiddenOutsideScope", f: Filter{Streets: []string{s1, s3}}, scope: Scope{Streets: []string{s1, s2}},
			wantErr: apperr.Forbidden},
		{name: "ErrForbiddenEmptyScope", f: Filter{Streets: []string{s1}}, scope: Scope{Streets: []string{}},
			wantErr: apperr.Forbidden},
		{name: "OKEmptyScopeSeesNothing", scope: Scope{Streets: []string{}}, block: []attrs{{street: s1, rank: 4}}},
		{name: "OKCommunityScope", scope: Scope{Communities: []string{"C1"}},
			pass:  []attrs{{street: s1, community: "C1", rank: 1}},
			block: []attrs{{street: s1, community: "C2", rank: 1}, {street: s1, rank: 1}}},
		{name: "OKEmptyCommunityScopeSeesNothing", scope: Scope{Communities: []string{}},
			block: []attrs{{street: s1, community: "C1", rank: 4}}},
		{name: "OKResponderScope", scope: Scope{Responder: "gafj"},
			pass:  []attrs{{responders: []string{"gafj"}}, {responders: []string{"sfj", "gafj"}}},
			block: []attrs{{responders: []string{"sfj"}}, {}}},
		{name: "OKResponderScopeWithStreetFilter", f: Filter{Streets: []string{s2}}, scope: Scope{Responder: "gafj"},
			pass:  []attrs{{street: s2, responders: []string{"gafj"}}},
			block: []attrs{{street: s1, responders: []string{"gafj"}}, {street: s2}}},
		{name: "OKKindsAndSeverity", f: Filter{Kinds: []event.Kind{event.CameraAlert}, MinSeverity: event.High},
			pass: []attrs{{street: s1, kind: event.CameraAlert, rank: 3}, {kind: event.CameraAlert, rank: 4}},
			block: []attrs{{kind: event.CameraAlert, rank: 2}, {kind: event.Hotline, rank: 4},
				{kind: event.CameraAlert, rank: 0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := compileFilter(tt.f, tt.scope)
			if got := apperr.CodeOf(err); got != tt.wantErr {
				t.Fatalf("error code = %q (%v), want %q", got, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			for _, a := range tt.pass {
				if !f.match(a) {
					t.Errorf("%+v blocked", a)
				}
			}
			for _, a := range tt.block {
				if f.match(a) {
					t.Errorf("%+v passed", a)
				}
			}
		})
	}
}
