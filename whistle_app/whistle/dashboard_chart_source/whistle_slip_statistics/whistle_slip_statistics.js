// Dashboard Chart Source of the workspace charts (figures in the user's unit scope).
frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Whistle Slip Statistics"] = {
	method: "whistle_app.whistle.dashboard_chart_source.whistle_slip_statistics.whistle_slip_statistics.get",
	filters: [
		{
			fieldname: "dimension",
			label: __("Figures"),
			fieldtype: "Select",
			options: [
				{ value: "open_by_state", label: __("Open Whistles by State") },
				{ value: "overdue_by_department", label: __("Overdue Whistles by Department") },
				{ value: "monthly_by_category", label: __("Monthly Whistles per Category") },
				{ value: "monthly_by_park", label: __("Monthly Whistles per Park or Town") },
				{ value: "on_time_by_class", label: __("On-time Rates by Class This Month") },
				{ value: "score_by_class", label: __("Average Slip Score by Class This Month") },
			],
			default: "open_by_state",
		},
	],
};
