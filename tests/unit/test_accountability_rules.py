"""The accountability tables (RULES §13), without a database."""

from whistle_app.rules import accountability as ac
from whistle_app.rules.workflow import SYSTEM_ACTOR


def test_case_flow_registered_verified_decided_or_referred_closed():
	m = ac.CASE_MACHINE
	assert m.initial == ac.REGISTERED
	assert m.find(ac.REGISTERED, ac.VERIFY).next_state == ac.VERIFYING
	assert m.find(ac.VERIFYING, ac.DECIDE).next_state == ac.DECIDED
	assert m.find(ac.VERIFYING, ac.REFER).next_state == ac.REFERRED
	assert {m.find(s, ac.CLOSE).next_state for s in (ac.DECIDED, ac.REFERRED)} == {ac.CLOSED}
	# every user step says why; only the Efficiency Office takes them
	users = [t for t in m.transitions if t.actor != SYSTEM_ACTOR]
	assert all(t.reason_required and t.actor == ac.EFFICIENCY for t in users)
	# nothing is taken from a closed case; fault tolerance closes it by the app's own step only
	assert not [t for t in m.transitions if t.state == ac.CLOSED]
	assert m.between(ac.DECIDED, ac.CLOSED).action == ac.CLOSE
	tolerate = [t for t in m.transitions if t.action == ac.TOLERATE]
	assert {t.state for t in tolerate} == set(ac.TOLERABLE_STATES) and all(
		t.actor == SYSTEM_ACTOR for t in tolerate
	)
	assert not m.may_edit(ac.CLOSED, {ac.EFFICIENCY, ac.LEADER, ac.UNIT})
	assert not m.submitted  # never submitted, so never cancelled


def test_application_reviewed_by_the_efficiency_office_decided_by_a_leader():
	m = ac.APPLICATION_MACHINE
	assert m.find(ac.DRAFT, ac.FILE).actor == ac.UNIT
	assert m.find(ac.REVIEW, ac.FORWARD).actor == ac.EFFICIENCY
	assert m.find(ac.REVIEW, ac.GRANT) is None  # only a District Leader grants
	assert m.find(ac.LEADER_DECISION, ac.GRANT).actor == ac.LEADER
	assert m.find(ac.LEADER_DECISION, ac.GRANT).reason_required
	assert m.submitted == {ac.GRANTED, ac.REFUSED}


def test_people_concerned_are_the_chain_named_on_the_unit():
	unit = {
		"principal_leader_name": "王示例",
		"principal_leader_post": "主任",
		"principal_leader_user": "a@x",
		"deputy_leader_name": " ",
		"division_name": "综合科",
		"division_head_name": "赵示例",
		"division_head_post": "科长",
	}
	assert ac.people_concerned(unit) == [
		{"role": "Principal Leader", "person_name": "王示例", "post": "主任", "user": "a@x"},
		{"role": "Division Head", "person_name": "赵示例", "post": "综合科 科长", "user": None},
	]
	assert ac.people_concerned({}) == []
