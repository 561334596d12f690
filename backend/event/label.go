package event

// The Chinese words for kinds, severities and states. The frontend, the
// Friday review and the docs use these same words; change them here first.
var (
	kindLabels = map[Kind]string{
		GridEvent:   "网格事件",
		Hotline:     "12345热线",
		CameraAlert: "雪亮告警",
		Warning:     "预警",
	}
	severityLabels = map[Severity]string{
		Low:      "低",
		Medium:   "中",
		High:     "高",
		Critical: "紧急",
	}
	statusLabels = map[Status]string{
		Reported:     "已上报",
		Dispatched:   "已派遣",
		Accepted:     "已接单",
		InProgress:   "处置中",
		Resolved:     "已处置",
		Closed:       "已办结",
		Rated:        "已评价",
		Escalated:    "已吹哨", // 吹哨报到: the street called the departments in
		Reopened:     "已重办",
		Merged:       "已合并",
		Acknowledged: "已确认",
	}
)

// KindLabel returns the Chinese name of kind k (网格事件, 12345热线, 雪亮告警,
// 预警), or the code itself when it is unknown.
func KindLabel(k Kind) string { return labelOr(kindLabels, k) }

// SeverityLabel returns the Chinese name of severity s (低, 中, 高, 紧急), or
// the code itself when it is unknown.
func SeverityLabel(s Severity) string { return labelOr(severityLabels, s) }

// StatusLabel returns the Chinese name of state s (已上报, 已派遣, …), or the
// code itself when it is unknown.
func StatusLabel(s Status) string { return labelOr(statusLabels, s) }

func labelOr[T ~string](labels map[T]string, code T) string {
	if label, ok := labels[code]; ok {
		return label
	}
	return string(code)
}
