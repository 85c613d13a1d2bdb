// The live supervision board (可视化督导看板, issue #9): every open whistle the user may read as a
// card in the column of its stage, with its warning level and the deadline that runs. Data comes
// from one method (whistle_app.board.get_board, in the user's unit scope); the board refreshes when
// the server announces a changed slip (realtime "whistle_board_update", or Frappe's "list_update"),
// and every five minutes when no event arrives (warning levels move with the clock).
frappe.provide("whistle_app");

const WB_EVENT = "whistle_board_update";
const WB_DOCTYPE = "Whistle Slip";
const WB_WALL_KEY = "whistle_board_wall";
const WB_POLL_MS = 5 * 60 * 1000;

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
		this.make_actions();
		this.make_filters();
		this.$board = $('<div class="wb-board"></div>').appendTo(this.page.main);
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

	// --- data ----------------------------------------------------------------------------------

	show() {
		this.subscribe();
		this.apply_wall(localStorage.getItem(WB_WALL_KEY) === "1");
		this.refresh();
	}

	refresh() {
		if (this.loading) {
			this.again = true;
			return;
		}
		this.loading = true;
		return frappe
			.xcall("whistle_app.board.get_board", this.get_filters())
			.then((data) => {
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

	card_html(card) {
		const esc = frappe.utils.escape_html;
		const departments = card.departments
			.map((d) => esc(d.department) + (d.role === "Sole" || !d.role_label ? "" : `（${esc(d.role_label)}）`))
			.join("、");
		const deadline = card.deadline
			? `<div class="wb-deadline">${esc(card.deadline_label)}：${esc(card.deadline.slice(0, 16))}</div>`
			: "";
		const green = card.green_channel ? `<span class="wb-green">${esc(__("Green Channel"))}</span>` : "";
		const category = card.category_label ? ` · ${esc(card.category_label)}` : "";
		return `
			<a class="wb-card wb-level-${esc(card.level_colour)}" data-slip="${esc(card.name)}"
				data-level="${esc(card.warning_level)}" href="${frappe.utils.get_form_link(WB_DOCTYPE, card.name)}">
				<div class="wb-card-head">
					<span class="indicator-pill ${esc(card.level_colour)}">${esc(__(card.warning_level))}</span>
					<span class="wb-no">${esc(card.name)}</span>
					${green}
				</div>
				<div class="wb-card-title">${esc(card.title || card.name)}</div>
				<div class="wb-meta">${esc(card.whistle_unit || "")}${category}</div>
				${departments ? `<div class="wb-depts">${departments}</div>` : ""}
				${deadline}
			</a>`;
	}
};
