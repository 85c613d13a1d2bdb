// The app's notifications (issue #22, whistle_app/notifications.py): when the app sends this one,
// whom the rules name, what the administrator may change and which variables the texts may use.
frappe.ui.form.on("Notification", {
	refresh(frm) {
		const info = frm.doc.__onload && frm.doc.__onload.whistle_app_notification;
		if (!info) return;
		const esc = frappe.utils.escape_html;
		const variables = [`<code>doc</code> ${esc(__("the document"))}`].concat(
			Object.entries(info.variables).map(([name, label]) => `<code>${esc(name)}</code> ${esc(label)}`)
		);
		frm.set_intro(
			`<div class="whistle-managed-note">
				<p><b>${esc(__("Sent by the whistle app"))}</b></p>
				<p>${esc(
					__(
						"The app sends this notification at the moment the rules set, always to: {0}. Recipients added below hear of it too.",
						[info.who]
					)
				)}</p>
				<p>${esc(
					__(
						"You may change its subject, message, recipients and condition, or switch it off (Enabled); your changes are kept across migrate. Its document type, event and channel stay as the app defines them."
					)
				)}</p>
				<p>${esc(__("Variables of the subject and message:"))} ${variables.join("，")}</p>
			</div>`,
			"blue"
		);
	},
});
