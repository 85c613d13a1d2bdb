"""Uploads (issue #23): safe types only, attached only to documents the uploader may write, kept private.

* **Types.** A file a user uploads must have one of ``SAFE_EXTENSIONS`` (photos, PDF, office
  documents, plain text and archives). HTML, SVG, XML, scripts and every other type a browser could
  run as a page on the site's own origin are refused, whatever the System Settings list says (the
  app also fills that list at install, so Frappe's own check agrees).
* **Where.** A file attached to one of the app's documents needs write permission on that document
  (role, unit scope and stored row, as every other write); moving a file to another document needs
  it on the new one. Frappe itself only asks for the permission to create a File, so a user could
  attach files (and the timeline's "attachment" comment) to a slip it cannot even read.
* **Private.** Files attached to the app's documents are private: served by Frappe after its read
  check on the document (``/private/files``), never from the public folder.
* **Listing.** ``permissions.file_query_conditions`` narrows the File list to files of documents the
  user may read; Frappe lists every file attached to any DocType the user has a role permission on.
"""

import os
import shutil
from pathlib import Path

import frappe
from frappe import _
from frappe.handler import upload_file as frappe_upload_file
from frappe.utils import cint, random_string

from whistle_app.doctype_index import doctype_definitions
from whistle_app.guard import MODULE, is_client_context

SAFE_EXTENSIONS = frozenset(
	{
		"jpg",
		"jpeg",
		"png",
		"gif",
		"webp",
		"heic",
		"bmp",
		"pdf",
		"ofd",
		"doc",
		"docx",
		"xls",
		"xlsx",
		"ppt",
		"pptx",
		"wps",
		"et",
		"txt",
		"csv",
		"zip",
		"rar",
		"7z",
		"mp4",
		"mov",
		"mp3",
		"m4a",
		"amr",
	}
)


class UnsafeFileTypeError(frappe.ValidationError):
	pass


def extension(file_name: str | None) -> str:
	return os.path.splitext(file_name or "")[1].lstrip(".").lower()


def app_doctypes() -> frozenset[str]:

	return frozenset(doctype_definitions())


def validate_file(doc, method: str | None = None) -> None:
	"""``doc_events["File"]["validate"]``."""
	if doc.is_folder or frappe.session.user == "Administrator":
		return
	uploaded = is_client_context() or getattr(frappe.local, "request", None) is not None
	if uploaded and (doc.is_new() or doc.has_value_changed("file_url") or doc.has_value_changed("file_name")):
		check_type(doc)
	if doc.attached_to_doctype in app_doctypes():
		make_private(doc)
		moved = (
			doc.is_new()
			or doc.has_value_changed("attached_to_name")
			or doc.has_value_changed("attached_to_doctype")
		)
		if moved and uploaded:
			check_target(doc)


def make_private(doc) -> None:
	"""A file of the app's documents is private. Frappe writes a new upload to disk before validation:
	a public one (a web form's attachment, say) goes to the private folder under a free name (copied
	when another File shares it)."""

	if cint(doc.is_private):
		return
	doc.is_private = 1
	if not (doc.is_new() and doc.file_url and doc.file_url.startswith("/files/")):
		return
	source = Path(frappe.get_site_path("public", "files", doc.file_url.split("/")[-1]))
	if not source.is_file():
		return
	target = Path(frappe.get_site_path("private", "files", source.name))
	while target.exists():
		target = target.with_name(f"{source.stem}{random_string(6)}{source.suffix}")
	target.parent.mkdir(parents=True, exist_ok=True)
	if frappe.db.exists("File", {"file_url": doc.file_url}):
		shutil.copyfile(source, target)
	else:
		shutil.move(source, target)
	doc.file_url = f"/private/files/{target.name}"


@frappe.whitelist()
def upload_file():
	"""``upload_file`` (Frappe's ``frappe.handler.upload_file``): logged-in users only, and a file for
	one of the app's documents is stored private from the start."""

	doctype, docname = frappe.form_dict.get("doctype"), frappe.form_dict.get("docname")
	if doctype in app_doctypes():
		# refused before anything is written to disk; validate_file checks again on every other path
		check_target(frappe._dict(attached_to_doctype=doctype, attached_to_name=docname))
		frappe.form_dict.is_private = 1
	return frappe_upload_file()


def check_type(doc) -> None:
	ext = extension(doc.file_name or doc.file_url)
	if doc.file_url and doc.file_url.startswith(("http://", "https://")) and not ext:
		return  # a link to elsewhere, not a file served here
	if ext not in SAFE_EXTENSIONS:
		frappe.throw(
			_("Files of type {0} cannot be uploaded. Allowed: {1}.").format(
				ext or _("(none)"), "、".join(sorted(SAFE_EXTENSIONS))
			),
			UnsafeFileTypeError,
			title=_("File type not allowed"),
		)


def check_target(doc) -> None:
	if not doc.attached_to_name or not frappe.db.exists(doc.attached_to_doctype, doc.attached_to_name):
		frappe.throw(_("The document to attach to does not exist."), frappe.PermissionError)
	if not may_attach(doc.attached_to_doctype, doc.attached_to_name):
		frappe.throw(
			_("You cannot attach files to {0} {1}.").format(_(doc.attached_to_doctype), doc.attached_to_name),
			frappe.PermissionError,
		)


def may_attach(doctype: str, name: str) -> bool:
	"""Write permission on the document; or an enterprise adding photos and files to a demand it
	submitted itself while its park or town still looks into it (issue #20: enterprises never edit
	their demands)."""
	if frappe.has_permission(doctype, "write", doc=name):
		return True
	if doctype != "Enterprise Demand" or frappe.session.user == "Guest":
		return False
	demand = frappe.db.get_value(doctype, name, ["submitted_by_enterprise", "status"], as_dict=True)
	return bool(
		demand
		and demand.submitted_by_enterprise == frappe.session.user
		and demand.status == "Open"
		and frappe.has_permission(doctype, "read", doc=name)
	)


def install_allowed_extensions() -> None:
	"""System Settings' list of allowed upload types, when the administrator has not set one."""
	if not frappe.db.get_single_value("System Settings", "allowed_file_extensions"):
		frappe.db.set_single_value(
			"System Settings",
			"allowed_file_extensions",
			"\n".join(sorted(e.upper() for e in SAFE_EXTENSIONS)),
		)
