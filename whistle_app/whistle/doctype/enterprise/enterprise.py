# Copyright (c) 2026, whistle_app developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from whistle_app import roles
from whistle_app.access import is_enterprise
from whistle_app.organisation import WHISTLING_TYPES, get_unit_type
from whistle_app.rules.credit_code import CreditCodeError, normalise, validate_credit_code

USER_ENTERPRISE_CACHE_KEY = "whistle_app:user_enterprise"


class InvalidCreditCodeError(frappe.ValidationError):
	pass


class DuplicateEnterpriseError(frappe.ValidationError):
	pass


class EnterpriseUnitError(frappe.ValidationError):
	pass


class EnterpriseUserError(frappe.ValidationError):
	pass


class Enterprise(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		address: DF.SmallText | None
		contact_person: DF.Data | None
		contact_phone: DF.Data | None
		credit_code: DF.Data
		enterprise_name: DF.Data
		grid: DF.Data | None
		user: DF.Link | None
		whistle_unit: DF.Link

	# end: auto-generated types
	def before_insert(self):
		# the name is the code (autoname field:credit_code): check and normalise it before naming
		self.credit_code = check_credit_code(self.credit_code)

	def validate(self):
		self.enterprise_name = (self.enterprise_name or "").strip()
		self.credit_code = check_credit_code(self.credit_code)
		if self.is_new():
			self.validate_code_unique()
		self.validate_name_unique()
		self.validate_unit()
		self.validate_user()

	def on_update(self):
		clear_user_enterprise_cache()

	def on_trash(self):
		clear_user_enterprise_cache()

	def validate_code_unique(self):
		existing = frappe.db.get_value("Enterprise", self.credit_code, "enterprise_name")
		if existing:
			frappe.throw(
				_("An enterprise with the unified social credit code {0} is already registered: {1}.").format(
					self.credit_code, existing
				),
				DuplicateEnterpriseError,
				title=_("Enterprise already registered"),
			)

	def validate_name_unique(self):
		other = frappe.db.get_value(
			"Enterprise", {"enterprise_name": self.enterprise_name, "name": ("!=", self.name)}, "credit_code"
		)
		if other:
			frappe.throw(
				_("An enterprise named {0} is already registered with the credit code {1}.").format(
					self.enterprise_name, other
				),
				DuplicateEnterpriseError,
				title=_("Enterprise already registered"),
			)

	def validate_unit(self):
		unit_type = get_unit_type(self.whistle_unit)
		if unit_type not in WHISTLING_TYPES:
			frappe.throw(
				_("An enterprise belongs to a park or town; {0} is of type {1}.").format(
					self.whistle_unit, _(unit_type or "")
				),
				EnterpriseUnitError,
			)

	def validate_user(self):
		"""The portal user is a website user with the Enterprise role, of this enterprise only."""
		if not self.user:
			return
		if self.user in ("Administrator", "Guest"):
			frappe.throw(
				_("{0} cannot be an enterprise's portal user.").format(self.user), EnterpriseUserError
			)
		if not is_enterprise(self.user):
			frappe.throw(
				_("User {0} needs the role {1} to be an enterprise's portal user.").format(
					self.user, _(roles.ENTERPRISE)
				),
				EnterpriseUserError,
			)
		if frappe.db.get_value("User", self.user, "whistle_unit"):
			frappe.throw(
				_("User {0} belongs to a unit and cannot also be an enterprise's portal user.").format(
					self.user
				),
				EnterpriseUserError,
			)
		other = frappe.db.get_value(
			"Enterprise", {"user": self.user, "name": ("!=", self.name)}, "enterprise_name"
		)
		if other:
			frappe.throw(
				_("User {0} is already the portal user of {1}.").format(self.user, other), EnterpriseUserError
			)


def check_credit_code(code: str | None) -> str:
	"""The normalised code, or a translated error saying what is wrong with it."""
	try:
		return validate_credit_code(code)
	except CreditCodeError as e:
		frappe.throw(
			credit_code_message(e, normalise(code)), InvalidCreditCodeError, title=_("Invalid credit code")
		)


def credit_code_message(error: CreditCodeError, code: str) -> str:
	if error.code == "empty":
		return _("Please enter the unified social credit code.")
	if error.code == "length":
		return _("The unified social credit code must have 18 characters; {0} has {1}.").format(
			code, len(code)
		)
	if error.code == "charset":
		return _(
			"The unified social credit code may contain only digits and capital letters other than I, O, Z, S and V; the character {0} at position {1} is not allowed."
		).format(code[error.position - 1], error.position)
	if error.code == "authority":
		return _(
			"The first character of the unified social credit code must be a registration authority code (1 to 9, A, N or Y), not {0}."
		).format(code[0])
	if error.code == "category":
		return _(
			"The second character of the unified social credit code must be an organisation category code (1 to 9), not {0}."
		).format(code[1])
	if error.code == "division":
		return _(
			"Characters 3 to 8 of the unified social credit code are the administrative division code and must be digits."
		)
	return _(
		"The unified social credit code {0} fails the check-character test of GB 32100-2015; please check it for typing errors."
	).format(code)


def get_user_enterprise(user: str | None = None) -> str | None:
	"""The enterprise whose portal user this is (cached; cleared whenever an enterprise changes)."""
	user = user or frappe.session.user
	if not user or user == "Guest":
		return None

	def load():
		return frappe.db.get_value("Enterprise", {"user": user}, "name") or ""

	return frappe.cache.hget(USER_ENTERPRISE_CACHE_KEY, user, generator=load) or None


def clear_user_enterprise_cache() -> None:
	frappe.cache.delete_key(USER_ENTERPRISE_CACHE_KEY)
