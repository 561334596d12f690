// Package workflow moves events to closure the way 川汇区 works: 群众点单、
// 支部派单、志愿者接单、群众评单 (dispatch, accept, resolve, close, rate),
// 吹哨报到 (a street summons departments, each must check in on scene before
// its own deadline), joint handling, merging cross-channel duplicates, SLA
// clocks with overdue warnings and escalation, and long-term care (长效关怀)
// after recurring disputes. docs/workflow.md is the operator's description.
//
// The domain (Rules: the transition table, the SLA policy, Fire, Suggestions,
// the care policy) is pure: no I/O, no clock. The use case (Service.Act)
// and the timer loop (Timer) reach the operational state through two small
// interfaces, Store and Queue, implemented over Redis by package redisbus.
//
// Every change is one event.Change on the durable log, as an `update` record
// carrying the event's whole state after it. Change.Action is one of the
// request actions (dispatch, accept, start, resolve, close, rate, reopen,
// comment, acknowledge, merge, whistle, checkin, followup_done) or one that
// only gridcc records: absorb (on the case another event was merged into;
// Target is that event), overdue (a respond or close deadline passed),
// escalate (an unacknowledged critical alert went to the street and the duty
// leader; Target names both, comma-separated) and checkin_missed (a summoned
// department missed its deadline; Target is the department). Target is the
// dispatch target for dispatch, the summoned departments (comma-separated)
// for whistle, the department for checkin, the follow-up for followup_done,
// the case merged into for merge. History computes its KPIs from these.
package workflow
