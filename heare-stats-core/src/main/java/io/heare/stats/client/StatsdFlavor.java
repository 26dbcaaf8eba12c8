package io.heare.stats.client;

/**
 * Which StatsD daemon's reading of a line the client writes for. Counters are the same in
 * every flavor: the client aggregates them, so a sampled counter goes out as its
 * scaled-up count without a rate, which every daemon reads alike. The flavors differ in
 * how timers and histograms are written:
 * <ul>
 * <li>{@link #HEARE}: the heare relay ({@code heare-stats-server}) takes the type as what
 * follows the first {@code |}, cut at {@code @}, so an Etsy rate suffix ({@code |@0.5})
 * makes the type {@code c|} and the line is dropped; the relay ignores the rate of timers
 * and histograms anyway, so none is written. Histograms as {@code h}.</li>
 * <li>{@link #ETSY}: Etsy StatsD. Sampled timer values carry {@code |@rate} (Etsy scales
 * the timer's count by it); histograms as {@code ms}, because Etsy counts an {@code h}
 * line as a counter.</li>
 * <li>{@link #DATADOG}: the Datadog agent (DogStatsD). Sampled timer values carry
 * {@code |@rate}; histograms as {@code h} ({@code d}, a distribution, with the
 * histogram-type override).</li>
 * </ul>
 */
public enum StatsdFlavor {

	/**
	 * The heare relay: no sample rates on the wire, histograms as {@code h}. The default.
	 */
	HEARE(HistogramType.H, false),

	/** Etsy StatsD: {@code |@rate} on sampled timer values, histograms as {@code ms}. */
	ETSY(HistogramType.MS, true),

	/**
	 * The Datadog agent: {@code |@rate} on sampled timer values, histograms as {@code h}.
	 */
	DATADOG(HistogramType.H, true);

	private final HistogramType histogramType;

	private final boolean sampleRates;

	StatsdFlavor(HistogramType histogramType, boolean sampleRates) {
		this.histogramType = histogramType;
		this.sampleRates = sampleRates;
	}

	/** The type histogram values are written as unless overridden. */
	HistogramType histogramType() {
		return this.histogramType;
	}

	/** Whether sampled timer values carry their rate as {@code |@rate}. */
	boolean writesSampleRates() {
		return this.sampleRates;
	}

}
