// The live supervision board (可视化督导看板, issue #9): every open whistle the user may read as a
// card in the column of its stage, with its warning level and the deadline that runs. Data comes
// from one method (whistle_app.board.get_board, in the user's unit scope); the board refreshes when
// the server announces a changed slip (realtime "whistle_board_update", or Frappe's "list_update"),
// and every five minutes when no event arrives (warning levels move with the clock).
// A second tab, the unit league table (单位排名), shows the current quarter's ranking so far per
// class with each unit's movement since the end of last month (whistle_app.league.get_league); it is
// offered to the office, District Leaders, the Efficiency Office and departments (their own row);
// /app/whistle-board?view=league opens it directly (e.g. on a wall screen).
frappe.provide("whistle_app");

const WB_EVENT = "whistle_board_update";
const WB_DOCTYPE = "Whistle Slip";
const WB_WALL_KEY = "whistle_board_wall";
const WB_POLL_MS = 5 * 60 * 1000;
const WB_BOARD = "board";
const WB_LEAGUE = "league";
const WB_LEAGUE_ROLES = [
	"System Manager",
	"Whistle Administrator",
	"Whistle Office",
	"District Leader",
	"Efficiency Office",
	"Department Liaison",
	"Department Leader",
];
const WB_BOARD_ONLY_FILTERS = ["department", "park", "category", "green_channel", "coordination"];

frappe.pages["whistle-board"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({
		parent: wrapper,
		title: __("Live Supervision Board"),
		single_column: true,
	});
	wrapper.whistle_board = new whistle_app.WhistleBoard(page, wrapper);
};

frappe.pages["whistle-board"].on_page_show = function (wrapper) {
	wrapper.whistle_board && wrapper.whistle_board.show();
};

whistle_app.WhistleBoard = class WhistleBoard {
	constructor(page, wrapper) {
		this.page = page;
		this.wrapper = wrapper;
		this.loads = 0;
		this.league_loads = 0;
		this.can_league = frappe.user.has_role(WB_LEAGUE_ROLES);
		this.view = WB_BOARD;
		this.make_actions();
		this.make_filters();
		this.make_tabs();
		this.$board = $('<div class="wb-board"></div>').appendTo(this.page.main);
		this.$league = $('<div class="wb-league" style="display: none"></div>').appendTo(this.page.main);
		this.setup_realtime();
		$(wrapper).on("hide", () => this.apply_wall(false));
	}

	// --- toolbar ---------------------------------------------------------------------------------

	make_actions() {
		this.page.set_primary_action(__("Wall Screen"), () => this.toggle_wall(), "expand");
		this.page.set_secondary_action(__("Refresh"), () => this.refresh(), "refresh");
	}

	make_filters() {
		const change = () => this.refresh();
		this.fields = {
			assessment_class: this.page.add_field({
				fieldtype: "Select",
				fieldname: "assessment_class",
				label: __("Assessment Class"),
				options: this.with_all(
					__("All Classes"),
					["A", "B", "C"].map((c) => ({ value: c, label: __("Class {0}", [c]) }))
				),
				change,
			}),
			department: this.page.add_field({
				fieldtype: "Select",
				fieldname: "department",
				label: __("Department"),
				options: this.with_all(__("All Departments"), []),
				change,
			}),
			park: this.page.add_field({
				fieldtype: "Select",
				fieldname: "park",
				label: __("Park or Town"),
				options: this.with_all(__("All Parks and Towns"), []),
				change,
			}),
			category: this.page.add_field({
				fieldtype: "Select",
				fieldname: "category",
				label: __("Category"),
				options: this.with_all(__("All Categories"), []),
				change,
			}),
			green_channel: this.page.add_field({
				fieldtype: "Check",
				fieldname: "green_channel",
				label: __("Green Channel Only"),
				change,
			}),
			coordination: this.page.add_field({
				fieldtype: "Check",
				fieldname: "coordination",
				label: __("Under Coordination Only"),
				change,
			}),
		};
		this.option_keys = {};
	}

	with_all(label, options) {
		return [{ value: "", label }, ...options.map((o) => (typeof o === "string" ? { value: o, label: o } : o))];
	}

	set_options(fieldname, all_label, options) {
		const key = JSON.stringify(options);
		if (this.option_keys[fieldname] === key) return;
		this.option_keys[fieldname] = key;
		const field = this.fields[fieldname];
		const value = field.get_value();
		field.df.options = this.with_all(all_label, options);
		field.refresh();
		field.set_input(options.some((o) => (o.value || o) === value) ? value : "");
	}

	get_filters() {
		const filters = {};
		for (const [name, field] of Object.entries(this.fields)) {
			const value = field.get_value();
			if (value) filters[name] = value;
		}
		return filters;
	}

	// --- tabs: the board and the unit league table ------------------------------------------------

	make_tabs() {
		if (!this.can_league) return;
		const esc = frappe.utils.escape_html;
		this.$tabs = $(`
			<div class="wb-tabs" role="tablist">
				<button type="button" class="btn btn-default btn-sm wb-tab" data-view="${WB_BOARD}"
					role="tab">${esc(__("Open Whistles"))}</button>
				<button type="button" class="btn btn-default btn-sm wb-tab" data-view="${WB_LEAGUE}"
					role="tab">${esc(__("Unit League Table"))}</button>
			</div>`).appendTo(this.page.main);
		this.$tabs.on("click", ".wb-tab", (e) => this.set_view($(e.currentTarget).attr("data-view")));
	}

	set_view(view) {
		this.view = this.can_league && view === WB_LEAGUE ? WB_LEAGUE : WB_BOARD;
		const league = this.view === WB_LEAGUE;
		this.$board.toggle(!league);
		this.$league.toggle(league);
		if (this.$tabs) {
			this.$tabs.find(".wb-tab").each((_i, el) => {
				const active = $(el).attr("data-view") === this.view;
				$(el).toggleClass("btn-primary", active).toggleClass("btn-default", !active);
				$(el).attr("aria-selected", active ? "true" : "false");
			});
		}
		for (const name of WB_BOARD_ONLY_FILTERS) {
			this.fields[name].$wrapper.toggle(!league);
		}
		this.refresh();
	}

	// --- data ----------------------------------------------------------------------------------

	show() {
		this.subscribe();
		this.apply_wall(localStorage.getItem(WB_WALL_KEY) === "1");
		const asked = new URLSearchParams(window.location.search).get("view");
		this.set_view(asked || this.view);
	}

	refresh() {
		if (this.loading) {
			this.again = true;
			return;
		}
		this.loading = true;
		const league = this.view === WB_LEAGUE;
		const call = league
			? frappe.xcall("whistle_app.league.get_league", {
					assessment_class: this.fields.assessment_class.get_value() || null,
			  })
			: frappe.xcall("whistle_app.board.get_board", this.get_filters());
		return call
			.then((data) => {
				if (league) {
					this.league_loads += 1;
					this.render_league(data);
					return;
				}
				this.data = data;
				this.loads += 1;
				this.update_options(data.options);
				this.render(data);
			})
			.finally(() => {
				this.loading = false;
				if (this.again) {
					this.again = false;
					this.refresh();
				}
			});
	}

	update_options(options) {
		const cls = this.fields.assessment_class.get_value();
		this.set_options(
			"department",
			__("All Departments"),
			options.departments
				.filter((d) => !cls || d.class === cls)
				.map((d) => ({ value: d.value, label: d.value }))
		);
		this.set_options("park", __("All Parks and Towns"), options.parks);
		this.set_options("category", __("All Categories"), options.categories);
	}

	// --- realtime ------------------------------------------------------------------------------

	setup_realtime() {
		const changed = () => this.schedule_refresh();
		frappe.realtime.on(WB_EVENT, changed);
		// Frappe announces every saved slip to the DocType's room as well: a fallback when the
		// board's own event is missed (e.g. a slip changed by a patch or a data import).
		frappe.realtime.on("list_update", (data) => {
			if (data && data.doctype === WB_DOCTYPE) changed();
		});
		const socket = frappe.realtime.socket;
		if (socket) {
			socket.on("connect", () => {
				this.subscribe();
				changed();
				this.render_live_state();
			});
			socket.on("disconnect", () => this.render_live_state());
		}
		setInterval(() => this.visible() && this.refresh(), WB_POLL_MS);
	}

	subscribe() {
		// the list view leaves the DocType's room when it closes: join it again on every show
		frappe.realtime.doctype_subscribe(WB_DOCTYPE);
	}

	visible() {
		return frappe.get_route()[0] === "whistle-board";
	}

	schedule_refresh() {
		if (!this.visible()) return;
		clearTimeout(this.timer);
		this.timer = setTimeout(() => this.refresh(), 300);
	}

	is_live() {
		const socket = frappe.realtime.socket;
		return Boolean(socket && socket.connected);
	}

	// --- wall screen -----------------------------------------------------------------------------

	toggle_wall() {
		const on = !document.body.classList.contains("whistle-wall");
		localStorage.setItem(WB_WALL_KEY, on ? "1" : "0");
		this.apply_wall(on);
		if (on && document.fullscreenEnabled && !document.fullscreenElement) {
			document.documentElement.requestFullscreen().catch(() => {});
		} else if (!on && document.fullscreenElement) {
			document.exitFullscreen().catch(() => {});
		}
	}

	apply_wall(on) {
		document.body.classList.toggle("whistle-wall", on);
		this.page.btn_primary.find(".hidden-xs").text(on ? __("Exit Wall Screen") : __("Wall Screen"));
	}

	// --- drawing ---------------------------------------------------------------------------------

	render(data) {
		const esc = frappe.utils.escape_html;
		const pills = Object.entries(data.levels)
			.map(
				([level, count]) =>
					`<span class="indicator-pill ${data.level_colours[level]} wb-level-count"
						data-level="${esc(level)}">${esc(__(level))} ${count}</span>`
			)
			.join("");
		const columns = data.columns.map((column) => this.column_html(column)).join("");
		this.$board.html(`
			<div class="wb-summary">
				<span class="wb-total">${esc(__("Open whistles: {0}", [data.total]))}</span>
				${pills}
				<span class="wb-updated text-muted">${esc(__("Updated {0}", [frappe.datetime.now_time()]))}</span>
				<span class="wb-live"></span>
			</div>
			<div class="wb-columns">${columns}</div>
		`);
		this.$board.attr("data-loads", this.loads);
		this.render_live_state();
	}

	render_live_state() {
		const live = this.is_live();
		this.$board
			.find(".wb-live")
			.attr("data-live", live ? "1" : "0")
			.attr("class", `wb-live indicator ${live ? "green" : "gray"}`)
			.text(live ? __("Live") : __("Refreshes every 5 minutes"));
	}

	column_html(column) {
		const esc = frappe.utils.escape_html;
		const cards = column.cards.length
			? column.cards.map((card) => this.card_html(card)).join("")
			: `<div class="wb-empty text-muted">${esc(__("No whistles"))}</div>`;
		return `
			<section class="wb-column" data-state="${esc(column.state)}">
				<header class="wb-column-head">
					<span class="wb-column-title">${esc(__(column.state))}</span>
					<span class="wb-column-count">${column.cards.length}</span>
					<div class="wb-holder">${esc(column.holder)}</div>
				</header>
				<div class="wb-cards">${cards}</div>
			</section>`;
	}

	// --- the unit league table ----------------------------------------------------------------------

	render_league(data) {
		const esc = frappe.utils.escape_html;
		const note = data.votes_counted
			? ""
			: `<div class="wb-league-note text-muted">${esc(
					__("The quarter's satisfaction survey is not closed yet: the scores are the slip averages so far.")
			  )}</div>`;
		const own = data.own_unit
			? `<div class="wb-league-note text-muted">${esc(__("Your unit's row only."))}</div>`
			: "";
		this.$league.html(`
			<div class="wb-summary">
				<span class="wb-total wb-league-title">${esc(data.title)}</span>
				<span class="text-muted">${esc(data.compared_label)}</span>
				<span class="wb-updated text-muted">${esc(__("Updated {0}", [frappe.datetime.now_time()]))}</span>
			</div>
			${note}${own}
			<div class="wb-league-classes">${data.classes.map((c) => this.league_class_html(c)).join("")}</div>
		`);
		this.$league.attr("data-loads", this.league_loads);
	}

	league_class_html(group) {
		const esc = frappe.utils.escape_html;
		const average =
			group.ranked && group.class_average !== null
				? `<span class="wb-holder">${esc(__("Class Average"))} ${esc(group.class_average)}</span>`
				: "";
		let body;
		if (!group.ranked) {
			body = `<div class="wb-empty text-muted">${esc(
				__("Not ranked yet: no unit of this class has a closed and fully rated whistle this quarter.")
			)}</div>`;
		} else {
			const rows = group.rows.map((row) => this.league_row_html(row)).join("");
			body = `
				<table class="wb-league-table">
					<colgroup><col class="wb-col-rank"><col><col class="wb-col-score">
						<col class="wb-col-cases"><col class="wb-col-move"></colgroup>
					<thead><tr>
						<th>${esc(__("Rank"))}</th>
						<th>${esc(__("Unit"))}</th>
						<th class="text-right">${esc(__("Quarter Score"))}</th>
						<th class="text-right">${esc(__("Cases"))}</th>
						<th class="text-center">${esc(__("Change Since Last Month"))}</th>
					</tr></thead>
					<tbody>${rows}</tbody>
				</table>`;
		}
		return `
			<section class="wb-column wb-league-class" data-class="${esc(group.assessment_class)}">
				<header class="wb-column-head">
					<span class="wb-column-title">${esc(group.label)}</span>
					<span class="wb-column-count">${group.class_size}</span>
					${average}
				</header>
				${body}
			</section>`;
	}

	league_row_html(row) {
		const esc = frappe.utils.escape_html;
		const marks = [
			row.substituted ? `<span class="wb-league-mark">${esc(__("No case, class average used"))}</span>` : "",
			row.is_last ? `<span class="wb-league-mark wb-league-last">${esc(__("Last Place"))}</span>` : "",
		].join("");
		return `
			<tr class="wb-league-row" data-unit="${esc(row.unit)}" data-rank="${row.rank}"
				data-movement="${esc(row.movement || "")}">
				<td class="wb-league-rank">${row.rank}</td>
				<td class="wb-league-unit">${esc(row.unit)}${marks}</td>
				<td class="text-right">${esc(row.score)}</td>
				<td class="text-right">${row.cases}</td>
				<td class="text-center wb-move wb-move-${esc(row.movement || "none")}">${esc(row.movement_label)}</td>
			</tr>`;
	}

	card_html(card) {
		const esc = frappe.utils.escape_html;
		const departments = card.departments
			.map((d) => esc(d.department) + (d.role === "Sole" || !d.role_label ? "" : `（${esc(d.role_label)}）`))
			.join("、");
		const deadline = card.deadline
			? `<div class="wb-deadline">${esc(card.deadline_label)}：${esc(card.deadline.slice(0, 16))}</div>`
			: "";
		const green = card.green_channel ? `<span class="wb-green">${esc(__("Green Channel"))}</span>` : "";
		const coordination = card.coordination
			? `<span class="wb-coordination">${esc(__("Under Coordination"))}</span>`
			: "";
		const category = card.category_label ? ` · ${esc(card.category_label)}` : "";
		return `
			<a class="wb-card wb-level-${esc(card.level_colour)}" data-slip="${esc(card.name)}"
				data-level="${esc(card.warning_level)}" href="${frappe.utils.get_form_link(WB_DOCTYPE, card.name)}">
				<div class="wb-card-head">
					<span class="indicator-pill ${esc(card.level_colour)}">${esc(__(card.warning_level))}</span>
					<span class="wb-no">${esc(card.name)}</span>
					${green}
					${coordination}
				</div>
				<div class="wb-card-title">${esc(card.title || card.name)}</div>
				<div class="wb-meta">${esc(card.whistle_unit || "")}${category}</div>
				${departments ? `<div class="wb-depts">${departments}</div>` : ""}
				${deadline}
			</a>`;
	}
};
