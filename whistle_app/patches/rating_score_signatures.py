"""Ratings scored before the score signature existed (RULES §14, rater fairness) get it: the criterion
scores in form order, exactly as ``rules.fairness.score_signature`` writes them when a rating is scored.
One statement; running it again changes nothing."""

import frappe


def execute():
	frappe.db.sql(
		"""
		update `tabWhistle Rating` r
		join (
			select parent, group_concat(ifnull(score, '') order by idx separator ',') as signature
			from `tabWhistle Rating Score`
			where parenttype = 'Whistle Rating'
			group by parent
		) s on s.parent = r.name
		set r.score_signature = s.signature
		where r.score_signature is null or r.score_signature != s.signature
		"""
	)
