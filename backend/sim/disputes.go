package sim

import (
	"fmt"
	"math/rand/v2"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/grid"
)

// recurring is a long-running dispute at one address, like the noise dispute
// of DOMAIN.md: it comes back in grid-worker reports and hotline calls, which
// is what the Friday review looks for when it decides on long-term care.
type recurring struct {
	spot    spot
	topic   string
	reports int
}

var disputeTopics = []string{"楼上楼下噪音", "楼上漏水", "停车位", "宠物扰民", "装修噪音", "楼道堆物"}

// How often a dispute report is one of the recurring ones.
const (
	recurringShareGrid    = 0.3
	recurringShareHotline = 0.4
	recurringDisputes     = 4
)

// newRecurring places n recurring disputes in urban grids (where neighbours
// share walls).
func newRecurring(d *grid.District, rng *rand.Rand, n int) []*recurring {
	var urban []*grid.Grid
	for _, g := range d.Grids {
		if g.Type == grid.TypeUrban {
			urban = append(urban, g)
		}
	}
	if len(urban) == 0 {
		urban = d.Grids
	}
	out := make([]*recurring, n)
	for i := range out {
		out[i] = &recurring{spot: newSpot(d, urban[rng.IntN(len(urban))], rng), topic: disputeTopics[i%len(disputeTopics)]}
	}
	return out
}

// report returns the title, description and severity of the dispute's next
// report. It escalates: the first is medium, later ones high, and now and
// then one turns critical (a resident at a neighbour's door with a knife).
func (r *recurring) report(k event.Kind, rng *rand.Rand) (title, detail string, sev event.Severity) {
	r.reports++
	sev = event.Medium
	detail = "双方多次发生争执，网格员已登记，拟组织调解。"
	if r.reports > 1 {
		sev = event.High
		detail = fmt.Sprintf("该处%s纠纷已是第%d次上报，建议纳入长效关怀，由司法所牵头联合调解。", r.topic, r.reports)
	}
	if r.reports > 2 && rng.Float64() < 0.15 {
		sev = event.Critical
		detail = "一方情绪失控持械上门，网格员与物业已到场控制局面，已报街道社会治理中心启动联合调解。"
	}
	if k == event.Hotline {
		return fmt.Sprintf("反映%s%s纠纷", r.spot.place, r.topic), "来电人称" + detail, sev
	}
	return fmt.Sprintf("%s%s纠纷（第%d次）", r.spot.place, r.topic, r.reports), detail, sev
}
