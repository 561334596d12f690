package history

import (
	"context"
	"sort"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
)

// DefaultTop and MaxTop bound the number of streets or grids a trend or a
// hotspot list shows.
const (
	DefaultTop = 10
	MaxTop     = 100
)

// Series is one line of a trend: a value of the split dimension with its
// count per bucket.
type Series struct {
	Key    string  `json:"key"`
	Label  string  `json:"label"` // Chinese label of a kind or category; the code for streets and grids
	Total  int64   `json:"total"`
	Counts []int64 `json:"counts"` // one per Trend.Buckets
}

// Trend is the count of reported events per bucket, split by a dimension.
type Trend struct {
	Filter      Filter      `json:"filter"`
	Period      Period      `json:"period"`
	Granularity Granularity `json:"granularity"`
	Split       Dimension   `json:"split"`
	Buckets     []Date      `json:"buckets"`
	Series      []Series    `json:"series"` // by total, largest first
}

// ParseDimension reads kind, category, street or grid; empty is def.
func ParseDimension(field, s string, def Dimension, allowed ...Dimension) (Dimension, error) {
	if s == "" {
		return def, nil
	}
	for _, d := range allowed {
		if Dimension(s) == d {
			return d, nil
		}
	}
	names := make([]string, len(allowed))
	for i, d := range allowed {
		names[i] = string(d)
	}
	return "", apperr.Field(apperr.Invalid, field, "%s must be one of %v", field, names)
}

// Trend returns the counts of p per bucket of g split by split. Streets and
// grids are limited to the top ones of the period (top ≤ MaxTop); kinds and
// categories are all shown.
func (s *Stats) Trend(ctx context.Context, f Filter, p Period, g Granularity, split Dimension, top int) (Trend, error) {
	var keys []string
	if split == ByStreet || split == ByGrid {
		counts, err := s.r.Counts(ctx, f, p, split)
		if err != nil {
			return Trend{}, err
		}
		for _, kc := range rank(counts, top) {
			keys = append(keys, kc.Key)
		}
		if len(keys) == 0 {
			return s.emptyTrend(f, p, g, split), nil
		}
	}
	points, err := s.r.Series(ctx, f, p, g, split, keys)
	if err != nil {
		return Trend{}, err
	}
	t := s.emptyTrend(f, p, g, split)
	index := make(map[Date]int, len(t.Buckets))
	for i, b := range t.Buckets {
		index[b] = i
	}
	byKey := map[string]*Series{}
	for _, pt := range points {
		i, ok := index[pt.Bucket]
		if !ok {
			continue // outside the period: the store rounds the same way, so this is only defensive
		}
		se := byKey[pt.Key]
		if se == nil {
			se = &Series{Key: pt.Key, Label: label(split, pt.Key), Counts: make([]int64, len(t.Buckets))}
			byKey[pt.Key] = se
		}
		se.Counts[i] += pt.Count
		se.Total += pt.Count
	}
	for _, se := range byKey {
		t.Series = append(t.Series, *se)
	}
	sort.Slice(t.Series, func(i, j int) bool {
		a, b := t.Series[i], t.Series[j]
		return a.Total > b.Total || a.Total == b.Total && a.Key < b.Key
	})
	return t, nil
}

func (s *Stats) emptyTrend(f Filter, p Period, g Granularity, split Dimension) Trend {
	return Trend{Filter: f, Period: p, Granularity: g, Split: split, Buckets: g.Buckets(p), Series: []Series{}}
}

func label(d Dimension, key string) string {
	switch d {
	case ByKind:
		return event.KindLabel(event.Kind(key))
	case ByCategory:
		return event.CategoryLabel(key)
	}
	return key
}

// KeyCount is one value and its count.
type KeyCount struct {
	Key   string
	Count int64
}

// rank returns the top n entries of counts, largest first, ties by key.
func rank(counts map[string]int64, n int) []KeyCount {
	out := make([]KeyCount, 0, len(counts))
	for k, c := range counts {
		if c > 0 {
			out = append(out, KeyCount{k, c})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Count > out[j].Count || out[i].Count == out[j].Count && out[i].Key < out[j].Key
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}
