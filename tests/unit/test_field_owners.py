"""Who may change which part of a slip (rules/lifecycle.FIELD_OWNERS, issue #23): pure rules."""

from whistle_app.rules import lifecycle as lc


def test_the_park_files_the_office_routes_the_lead_department_reports():
	park, office = {lc.PARK_ACTOR}, {lc.OFFICE_ACTOR}
	lead = {lc.REPORTING_ACTOR, lc.DEPARTMENT_ACTOR}
	co = {lc.DEPARTMENT_ACTOR}
	assert lc.fields_not_owned(["title", "description"], park) == []
	assert lc.fields_not_owned(["title", "description"], lead) == ["title", "description"]
	assert lc.fields_not_owned(["scope", "departments"], park) == ["scope", "departments"]
	assert lc.fields_not_owned(["scope", "departments"], office) == []
	assert lc.fields_not_owned(["work_plan", "meeting_minutes", "result"], lead) == []
	assert lc.fields_not_owned(["work_plan", "result"], co) == ["work_plan", "result"]
	assert lc.fields_not_owned(["work_plan"], park) == ["work_plan"]


def test_fields_without_an_owner_are_left_to_other_checks():
	# server fields (guard), the reason of an action, progress entries and the state have their own checks
	for field in ("response_deadline", "action_reason", "progress", "workflow_state"):
		assert field not in lc.FIELD_OWNERS
		assert lc.fields_not_owned([field], set()) == []


def test_every_owned_field_has_an_owner_and_the_groups_do_not_overlap():
	groups = (lc.FILING_FIELDS, lc.ROUTING_FIELDS, lc.REPORT_FIELDS)
	assert sum(len(g) for g in groups) == len(lc.FIELD_OWNERS)
	assert all(lc.FIELD_OWNERS[f] for f in lc.FIELD_OWNERS)
	assert all(lc.OFFICE_ACTOR in owners for owners in lc.FIELD_OWNERS.values())
