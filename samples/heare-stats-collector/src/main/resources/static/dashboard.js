"use strict";
// The collector's dashboard: pinned HTTP charts, one chart per metric (uPlot), totals, and
// the current values on demand. Names arrive from the network, so text goes into the DOM
// with textContent only, never as HTML.
(function () {
	const LIMIT = 48;
	const COLORS = { rate: "#2563eb", value: "#7c3aed", p50: "#0891b2", p95: "#f59e0b", p99: "#dc2626" };
	const PINNED_COLORS = { "request rate": "#2563eb", "error rate": "#dc2626" };
	const PINNED_HINTS = {
		"request rate": "counters named …http.server.requests.total",
		"error rate": "counters named …http.server.requests.error",
		"response time": "timers named …http.server.response.time"
	};
	// With ?inspect each chart reports what it drew (data-points, data-line-pixels), for tests.
	const PARAMETERS = new URLSearchParams(location.search);
	const INSPECT = PARAMETERS.has("inspect");
	const number = new Intl.NumberFormat("en", { maximumFractionDigits: 2 });
	const compact = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

	const state = { filter: null, times: [], charts: new Map(), ids: "", last: 0, points: 0, interval: 1000 };
	const plots = new Map();
	const filter = document.getElementById("filter");
	// ?filter=text opens the page filtered, so that a filtered view can be shared as a link.
	filter.value = PARAMETERS.get("filter") || "";
	const status = document.getElementById("status");

	function format(value) {
		if (value == null || !isFinite(value)) {
			return "–";
		}
		return Math.abs(value) >= 10000 ? compact.format(value) : number.format(value);
	}

	function clock(seconds) {
		return new Date(seconds * 1000).toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
	}

	function fromZero(u, min, max) {
		const low = Math.min(0, min == null ? 0 : min) * 1.1;
		const high = max == null || max <= 0 ? 1 : max * 1.1;
		return [low, high];
	}

	function chartId(chart) {
		return chart.kind + ":" + chart.name;
	}

	function colors(chart) {
		if (chart.kind === "pinned" && PINNED_COLORS[chart.name]) {
			return [PINNED_COLORS[chart.name]];
		}
		return chart.lines.map((line) => COLORS[line] || COLORS.value);
	}

	async function refresh() {
		const wanted = filter.value.trim();
		const full = wanted !== state.filter || state.times.length === 0;
		let url = "/api/history?limit=" + LIMIT + "&filter=" + encodeURIComponent(wanted);
		if (!full) {
			url += "&since=" + state.last;
		}
		try {
			const response = await fetch(url, { cache: "no-store" });
			if (!response.ok) {
				throw new Error("HTTP " + response.status);
			}
			const view = await response.json();
			const ids = view.charts.map(chartId).join("\n");
			if (!full && ids !== state.ids) {
				// Metrics came or went: take the whole history of the new set.
				state.filter = null;
				return refresh();
			}
			merge(view, full);
			state.filter = wanted;
			state.ids = ids;
			state.interval = Math.max(200, view.interval);
			render(view);
			status.className = "";
			status.textContent = "live · updated " + new Date().toLocaleTimeString();
		}
		catch (error) {
			status.className = "error";
			status.textContent = "cannot reach the collector: " + error.message;
		}
	}

	function merge(view, full) {
		const all = view.pinned.concat(view.charts);
		if (full) {
			state.times = view.times.slice();
			state.charts = new Map(all.map((chart) => [chartId(chart), chart]));
		}
		else {
			state.times.push(...view.times);
			all.forEach((chart) => {
				const kept = state.charts.get(chartId(chart));
				kept.data.forEach((line, i) => line.push(...chart.data[i]));
			});
		}
		const excess = state.times.length - view.points;
		if (excess > 0) {
			state.times.splice(0, excess);
			state.charts.forEach((chart) => chart.data.forEach((line) => line.splice(0, excess)));
		}
		if (state.times.length > 0) {
			state.last = state.times[state.times.length - 1];
		}
	}

	function render(view) {
		renderSummary(view.totals, view.names);
		const pinnedIds = view.pinned.map(chartId);
		const chartIds = view.charts.map(chartId);
		place(document.getElementById("pinned"), pinnedIds);
		place(document.getElementById("charts"), chartIds);
		plots.forEach((plot, id) => {
			if (!state.charts.has(id) || (!pinnedIds.includes(id) && !chartIds.includes(id))) {
				plot.uplot.destroy();
				plot.card.remove();
				plots.delete(id);
			}
		});
		const note = document.getElementById("charts-note");
		if (view.matched === 0) {
			note.textContent = state.filter ? "No metric name contains “" + state.filter + "”." : "No metrics yet.";
		}
		else if (view.matched > view.charts.length) {
			note.textContent = "Showing " + view.charts.length + " of " + view.matched
				+ " metrics; type in the filter to see others.";
		}
		else {
			note.textContent = "";
		}
		if (document.getElementById("values").open) {
			refreshValues();
		}
	}

	// Creates or updates the chart of every id, in order, inside the container.
	function place(container, ids) {
		ids.forEach((id, index) => {
			const chart = state.charts.get(id);
			let plot = plots.get(id);
			if (!plot) {
				plot = create(chart);
				plots.set(id, plot);
			}
			if (container.children[index] !== plot.card) {
				container.insertBefore(plot.card, container.children[index] || null);
				fit(plot);
			}
			plot.uplot.setData([state.times].concat(chart.data));
			plot.latest.textContent = latest(chart);
			if (INSPECT) {
				inspect(plot);
			}
		});
	}

	function latest(chart) {
		const line = chart.data[chart.lines.indexOf("p95")] || chart.data[0];
		for (let i = line.length - 1; i >= 0; i--) {
			if (line[i] != null) {
				const label = chart.lines.length > 1 ? "p95 " : "";
				return label + format(line[i]) + (chart.unit === "/s" ? "/s" : chart.unit ? " " + chart.unit : "");
			}
		}
		return "no data yet";
	}

	function create(chart) {
		const pinned = chart.kind === "pinned";
		const card = document.createElement("article");
		card.className = "chart";
		card.dataset.metric = chart.name;
		card.dataset.kind = chart.kind;
		const head = document.createElement("div");
		head.className = "head";
		const title = document.createElement("span");
		title.className = "title";
		title.textContent = chart.name;
		title.title = pinned ? PINNED_HINTS[chart.name] || "" : chart.name;
		head.appendChild(title);
		if (!pinned) {
			const kind = document.createElement("span");
			kind.className = "kind";
			kind.textContent = chart.kind + (chart.unit ? " · " + chart.unit : "");
			head.appendChild(kind);
		}
		const latestValue = document.createElement("span");
		latestValue.className = "latest";
		head.appendChild(latestValue);
		const area = document.createElement("div");
		area.className = "plot";
		card.append(head, area);
		// Measured once the card is in the page; until then a sensible default.
		const width = 360;
		const height = pinned ? 170 : 130;
		const strokes = colors(chart);
		const single = chart.lines.length === 1;
		const unit = chart.unit === "/s" ? "/s" : chart.unit ? " " + chart.unit : "";
		const options = {
			width: width,
			height: height,
			legend: { show: !single, live: false },
			cursor: { drag: { x: false, y: false }, points: { size: 6 } },
			// Rates, durations and sizes are read against zero; gauges use their own range.
			scales: { x: { time: true }, y: chart.kind === "gauge" ? {} : { range: fromZero } },
			series: [{}].concat(chart.lines.map((line, i) => ({
				label: line,
				stroke: strokes[i],
				width: pinned ? 2 : 1.5,
				fill: single ? strokes[i] + "1f" : undefined,
				spanGaps: true,
				points: { show: false },
				value: (u, value) => format(value) + unit
			}))),
			axes: [
				{ stroke: "#6b7385", space: 70, grid: { stroke: "#eef1f5", width: 1 },
					ticks: { stroke: "#e3e7ee", width: 1 }, values: (u, values) => values.map(clock) },
				{ stroke: "#6b7385", size: 52, grid: { stroke: "#eef1f5", width: 1 },
					ticks: { stroke: "#e3e7ee", width: 1 }, values: (u, values) => values.map(format) }
			]
		};
		const uplot = new uPlot(options, [state.times].concat(chart.data), area);
		return { card: card, uplot: uplot, latest: latestValue, strokes: strokes, height: height, area: area };
	}

	function fit(plot) {
		const width = Math.floor(plot.area.clientWidth);
		if (width > 0 && width !== plot.uplot.width) {
			plot.uplot.setSize({ width: width, height: plot.height });
			if (INSPECT) {
				inspect(plot);
			}
		}
	}

	// Counts the data points uPlot holds and the canvas pixels inside the plot area that
	// have a series' colour: axes and grid are grey, so these are drawn lines.
	function inspect(plot) {
		const u = plot.uplot;
		let points = 0;
		for (let s = 1; s < u.data.length; s++) {
			points += u.data[s].filter((value) => value != null).length;
		}
		const rgb = plot.strokes.map((hex) => [1, 3, 5].map((i) => parseInt(hex.substr(i, 2), 16)));
		const box = u.bbox;
		const pixels = u.ctx.getImageData(box.left, box.top, Math.max(1, box.width), Math.max(1, box.height)).data;
		let drawn = 0;
		for (let p = 0; p < pixels.length; p += 4) {
			if (pixels[p + 3] > 200 && rgb.some((c) => Math.abs(c[0] - pixels[p]) + Math.abs(c[1] - pixels[p + 1])
					+ Math.abs(c[2] - pixels[p + 2]) < 60)) {
				drawn++;
			}
		}
		plot.card.dataset.points = points;
		plot.card.dataset.linePixels = drawn;
	}

	function renderSummary(totals, names) {
		const stats = [
			["accepted batches", totals.requestsAccepted],
			["StatsD lines", totals.statsdLines],
			["metric names", names.held + " / " + names.max],
			["dropped: name limit", totals.droppedOverNameLimit, totals.droppedOverNameLimit > 0],
			["refused: auth", totals.rejectedUnauthorized, totals.rejectedUnauthorized > 0],
			["malformed", totals.rejectedMalformed + totals.statsdBadLines,
				totals.rejectedMalformed + totals.statsdBadLines > 0]
		];
		if (totals.droppedLongNames > 0) {
			stats.push(["dropped: long names", totals.droppedLongNames, true]);
		}
		if (totals.statsdTcpConnectionsRefused > 0) {
			stats.push(["refused: TCP connections", totals.statsdTcpConnectionsRefused, true]);
		}
		if (totals.forwardedBatches > 0 || totals.forwardFailures > 0) {
			stats.push(["relayed batches", totals.forwardedBatches]);
			stats.push(["relay failures", totals.forwardFailures, totals.forwardFailures > 0]);
		}
		const fragment = document.createDocumentFragment();
		stats.forEach(([label, value, warn]) => {
			const stat = document.createElement("div");
			stat.className = warn ? "stat warn" : "stat";
			stat.dataset.stat = label;
			const name = document.createElement("span");
			name.className = "label";
			name.textContent = label;
			const number = document.createElement("span");
			number.className = "value";
			number.textContent = typeof value === "number" ? format(value) : value;
			stat.append(name, number);
			fragment.appendChild(stat);
		});
		document.getElementById("summary").replaceChildren(fragment);
	}

	// The tables of current values, read from /api/metrics only while they are shown.
	async function refreshValues() {
		const response = await fetch("/api/metrics", { cache: "no-store" });
		if (!response.ok) {
			return;
		}
		const data = await response.json();
		table("counters", "counter", data.counters, 2);
		table("gauges", "gauge", data.gauges, 2);
		table("timers", "timer", data.timers, 7);
		table("histograms", "histogram", data.histograms, 7);
		const list = document.createDocumentFragment();
		Object.keys(data.totals).forEach((name) => {
			const dt = document.createElement("dt");
			dt.textContent = name;
			const dd = document.createElement("dd");
			dd.textContent = format(data.totals[name]);
			dd.dataset.total = name;
			list.append(dt, dd);
		});
		document.getElementById("totals").replaceChildren(list);
	}

	function table(id, kind, metrics, columns) {
		const fragment = document.createDocumentFragment();
		const names = Object.keys(metrics).sort();
		if (names.length === 0) {
			const row = document.createElement("tr");
			row.className = "empty";
			const td = cell(row, "", "none yet");
			td.colSpan = columns;
			fragment.appendChild(row);
		}
		names.forEach((name) => {
			const row = document.createElement("tr");
			row.dataset.metric = name;
			row.dataset.kind = kind;
			cell(row, "name", name);
			const value = metrics[name];
			if (typeof value === "number") {
				cell(row, "num", format(value)).dataset.field = "value";
			}
			else {
				["count", "min", "p50", "p95", "p99", "max"].forEach((field) => {
					cell(row, "num", format(value[field])).dataset.field = field;
				});
			}
			fragment.appendChild(row);
		});
		document.querySelector("#" + id + " tbody").replaceChildren(fragment);
	}

	function cell(row, className, text) {
		const td = document.createElement("td");
		td.className = className;
		td.textContent = text;
		row.appendChild(td);
		return td;
	}

	// One refresh at a time; typing in the filter brings the next one forward.
	let running = false;
	let timer;
	async function loop() {
		clearTimeout(timer);
		if (running) {
			return;
		}
		running = true;
		try {
			// A page in a background tab does not poll; it catches up when shown again.
			if (!document.hidden) {
				await refresh();
			}
		}
		finally {
			running = false;
			timer = setTimeout(loop, state.interval);
		}
	}

	let typing;
	filter.addEventListener("input", () => {
		clearTimeout(typing);
		typing = setTimeout(loop, 250);
	});
	document.getElementById("values").addEventListener("toggle", (event) => {
		if (event.target.open) {
			refreshValues();
		}
	});
	window.addEventListener("resize", () => plots.forEach(fit));
	document.addEventListener("visibilitychange", () => {
		if (!document.hidden) {
			loop();
		}
	});
	loop();
})();
